// Level 1: one Transformation per step kind of kernels/schedule.ts. Applying one sets a step of the
// schedule (replacing the step of the same kind, site and key); checking one replays the steps of
// the site's kernel through kernels' own `resolveSchedule`, so the reason a choice is illegal is
// kernels' reason, and legality here is exactly legality there. Kernels' schedule checks are
// pure (no GPU): transform-space imports them and nothing else of kernels.

import { FreightError } from '../ir/errors.js';
import type { Kernel, MapOp, Program } from '../ir/program.js';
import { mapSite, resolveSchedule, type Schedule, type ScheduleStep, type ScheduleTarget } from '../kernels/schedule.js';
import { STEP_KINDS, type StepKind } from './step-kinds.js';
import type { Params, Scheduled, Site, Transformation } from './transformation.js';

export const SCHEDULE_TRANSFORMATIONS: readonly Transformation[] = STEP_KINDS.map(scheduleTransformation);

export function scheduleTransformation(kind: StepKind): Transformation {
  const check = (x: Scheduled, s: Site, v: Params): string | null => {
    const m = mapAt(x.program, s);
    if (!m) return `there is no map '${s}'`;
    if (!kind.applies(m)) return `'${kind.t}' does not apply to map '${s}'`;
    return checkKernelSteps(x.program, kernelOf(s), withStep(x.schedule, kind, s, v).steps, x.target);
  };
  return {
    name: kind.t,
    level: 1,
    sites: (x) => mapSites(x.program).filter(([, m]) => kind.applies(m)).map(([site]) => site),
    space: (x, s) => {
      const m = mapAt(x.program, s);
      return m && kind.applies(m) ? kind.space(m, x.target) : [];
    },
    check,
    apply: (x, s, v) => {
      const why = check(x, s, v);
      if (why) throw new FreightError(`'${kind.t}' at '${s}': ${why}`);
      return { ...x, schedule: withStep(x.schedule, kind, s, v) };
    },
    step: (s, v) => ({ t: kind.t, at: s, p: v }),
  };
}

/** The schedule with step (`kind`, `site`, `v`) in place of the one it replaces, else appended. */
export function withStep(schedule: Schedule, kind: StepKind, site: Site, v: Params): Schedule {
  const step: ScheduleStep = { t: kind.t, at: site, p: v };
  const i = schedule.steps.findIndex((x) => sameSlot(x, step));
  const steps = i < 0 ? [...schedule.steps, step] : schedule.steps.map((x, j) => (j === i ? step : x));
  return { v: 1, steps };
}

/** Whether two steps set the same decision (same kind, site and key), so that one replaces the other. */
export function sameSlot(a: ScheduleStep, b: ScheduleStep): boolean {
  const key = STEP_KINDS.find((k) => k.t === a.t)?.key;
  return a.t === b.t && a.at === b.at && (key === undefined || a.p[key] === b.p[key]);
}

/** Every map of the program with its site. */
export function mapSites(p: Program): [Site, MapOp][] {
  return p.kernels.flatMap((k) => k.maps.map((m, i) => [mapSite(k.id, i), m] as [Site, MapOp]));
}

export function mapAt(p: Program, site: Site): MapOp | undefined {
  const k = p.kernels.find((x) => x.id === kernelOf(site));
  const i = /\.m(\d+)$/.exec(site);
  return k && i ? k.maps[Number(i[1])] : undefined;
}

/** The kernel id of a site (`k4.m1` → `k4`; a kernel site names itself). */
export const kernelOf = (site: Site): string => site.replace(/\.m\d+$/, '');

/** The steps of `steps` that apply to kernel `k`. */
export const stepsOf = (steps: readonly ScheduleStep[], k: Kernel | string): ScheduleStep[] => {
  const id = typeof k === 'string' ? k : k.id;
  return steps.filter((s) => kernelOf(s.at) === id);
};

/**
 * Null when `steps` (those of kernel `kernelId` among them) resolve over that kernel's maps, else
 * kernels' reason. Resolving one kernel is enough: the defaults and checks of a map depend on
 * the map and the buffers alone.
 */
export function checkKernelSteps(p: Program, kernelId: string, steps: readonly ScheduleStep[], target: ScheduleTarget): string | null {
  const k = p.kernels.find((x) => x.id === kernelId);
  if (!k) return `there is no kernel '${kernelId}'`;
  try {
    resolveSchedule({ ...p, kernels: [k] }, { v: 1, steps: stepsOf(steps, k) }, target);
    return null;
  } catch (e) {
    if (e instanceof FreightError) return e.message;
    throw e;
  }
}
