// The space of one model: fusion plans over its lowered program times the schedule choices of
// every map of the fused program. It can be counted and enumerated (for a fixed fusion plan),
// sampled, mutated and crossed over; every candidate it returns materializes (kernels'
// `resolveSchedule` accepts it), and the same random stream gives the same candidates.

import { FreightError } from '../ir/errors.js';
import { fuseRowKernels, type FusionOptions } from '../ir/fusion/index.js';
import type { Program } from '../ir/program.js';
import { DEFAULT_TARGET, EMPTY_SCHEDULE, resolveSchedule, type Schedule, type ScheduleStep, type ScheduleTarget } from '../kernels/schedule.js';
import { defaultFusion, fusionOptionsOf, replayFusion, type Candidate, type Materialized } from './candidate.js';
import { checkFusion, FUSE, fusionSites, keepUnchanged, sameKernel } from './fusion-transformation.js';
import { checkKernelSteps, kernelOf, mapAt, mapSites, sameSlot, stepsOf, withStep } from './schedule-transformation.js';
import { stepKind, STEP_KINDS, type StepKind } from './step-kinds.js';
import type { Params, Site } from './transformation.js';

/** Uniform in [0, 1): a seedrandom generator. */
export type Rng = () => number;

/** One decision of the schedule space: the step of `kind` at `site` (for one key), or none. */
export interface Variable {
  readonly site: Site;
  readonly kind: StepKind;
  readonly values: readonly Params[];
}

export interface ModelSpace {
  readonly lowered: Program;
  /** ir/fusion's default plan and every map's default schedule. */
  readonly initial: Candidate;
  materialize(c: Candidate): Materialized;
  /** The schedule decisions over the program of a fusion plan (default: the initial one). */
  variables(fusion?: readonly ScheduleStep[]): readonly Variable[];
  /** Points of the schedule space over a fusion plan: every variable unset or set to one value. */
  count(fusion?: readonly ScheduleStep[]): bigint;
  /** Those points that are legal, in mixed-radix order (the first variable fastest). */
  enumerate(fusion?: readonly ScheduleStep[]): Generator<Candidate>;
  sample(rng: Rng): Candidate;
  /** One fusion decision added or removed, or one step changed, added or removed. */
  mutate(c: Candidate, rng: Rng): Candidate;
  /** One parent's fusion plan, each kernel's steps from either parent where they fit. */
  crossover(a: Candidate, b: Candidate, rng: Rng): Candidate;
}

export interface SpaceOptions {
  readonly target?: ScheduleTarget;
  readonly fusion?: FusionOptions;
}

/** Fused programs kept per fusion plan (search revisits plans far more often than it makes new ones). */
const PROGRAM_CACHE_SIZE = 4096;
/** Tries before a mutation gives up: each try is refused only where a random choice was illegal. */
const MUTATION_TRIES = 200;

export function modelSpace(lowered: Program, options: SpaceOptions = {}): ModelSpace {
  const target = options.target ?? DEFAULT_TARGET;
  const fusionOptions = fusionOptionsOf(lowered, options.fusion);
  const programs = new Map<string, Program>();
  const rowKernels = new WeakMap<Program, Program>();
  /** The fused program of a plan (from the cached program of its longest cached prefix), with its row kernels merged. */
  const fused = (fusion: readonly ScheduleStep[]): Program => {
    let n = fusion.length;
    while (n > 0 && !programs.has(planKey(fusion.slice(0, n)))) n--;
    let p = n > 0 ? programs.get(planKey(fusion.slice(0, n)))! : lowered;
    for (; n < fusion.length; n++) {
      p = replayFusion(p, [fusion[n]], fusionOptions);
      if (programs.size >= PROGRAM_CACHE_SIZE) programs.delete(programs.keys().next().value!);
      programs.set(planKey(fusion.slice(0, n + 1)), p);
    }
    let rows = rowKernels.get(p);
    if (!rows) rowKernels.set(p, rows = fuseRowKernels(p, fusionOptions));
    return rows;
  };
  const initial: Candidate = { fusion: defaultFusion(lowered, fusionOptions), schedule: EMPTY_SCHEDULE };
  const variablesOf = (p: Program): Variable[] => mapSites(p).flatMap(([site, m]) => STEP_KINDS.filter((k) => k.applies(m))
    .flatMap((kind) => groupBy(kind.space(m, target), kind.key).map((values) => ({ site, kind, values }))));
  const legal = (p: Program, steps: readonly ScheduleStep[], kernel: string): boolean => checkKernelSteps(p, kernel, steps, target) === null;
  const materializeCached = (c: Candidate): Materialized => {
    const program = fused(c.fusion);
    resolveSchedule(program, c.schedule, target);
    return { program, schedule: c.schedule };
  };
  const isLegal = (c: Candidate): boolean => {
    try {
      materializeCached(c);
      return true;
    } catch (e) {
      if (e instanceof FreightError) return false;
      throw e;
    }
  };

  const sampleFusion = (rng: Rng): ScheduleStep[] => {
    const keep = rng();
    const refused = new Set<string>();
    const fusion: ScheduleStep[] = [];
    for (let p = lowered; ;) {
      const sites = fusionSites(p).filter((b) => !refused.has(b));
      if (sites.length === 0) return fusion;
      const b = pick(rng, sites);
      if (rng() < keep && checkFusion(p, b, fusionOptions) === null) {
        fusion.push(FUSE.step(b, {}));
        p = fused(fusion);
      } else {
        refused.add(b);
      }
    }
  };

  const sample = (rng: Rng): Candidate => {
    const fusion = sampleFusion(rng);
    const p = fused(fusion);
    const density = rng() / 2;
    let schedule: Schedule = EMPTY_SCHEDULE;
    for (const v of variablesOf(p)) {
      if (rng() >= density) continue;
      const next = withStep(schedule, v.kind, v.site, pick(rng, v.values));
      if (legal(p, next.steps, kernelOf(v.site))) schedule = next;
    }
    return { fusion, schedule };
  };

  /** Each returns a candidate its own checks accept, or undefined where the random choice was illegal. */
  const mutations: ((c: Candidate, rng: Rng) => Candidate | undefined)[] = [
    function changeParameter(c, rng) {
      if (c.schedule.steps.length === 0) return undefined;
      const step = pick(rng, c.schedule.steps);
      const kind = stepKind(step.t);
      const m = mapAt(fused(c.fusion), step.at);
      if (!kind || !m) return undefined;
      const others = kind.space(m, target).filter((v) => sameSlot(step, { ...step, p: v }) && JSON.stringify(v) !== JSON.stringify(step.p));
      if (others.length === 0) return undefined;
      const schedule = withStep(c.schedule, kind, step.at, pick(rng, others));
      return legal(fused(c.fusion), schedule.steps, kernelOf(step.at)) ? { ...c, schedule } : undefined;
    },
    function addStep(c, rng) {
      const p = fused(c.fusion);
      const v = pick(rng, variablesOf(p));
      if (!v || c.schedule.steps.some((s) => sameSlot(s, { t: v.kind.t, at: v.site, p: v.values[0] }))) return undefined;
      const schedule = withStep(c.schedule, v.kind, v.site, pick(rng, v.values));
      return legal(p, schedule.steps, kernelOf(v.site)) ? { ...c, schedule } : undefined;
    },
    function removeStep(c, rng) {
      if (c.schedule.steps.length === 0) return undefined;
      const gone = pick(rng, c.schedule.steps);
      const schedule: Schedule = { v: 1, steps: c.schedule.steps.filter((s) => s !== gone) };
      return legal(fused(c.fusion), schedule.steps, kernelOf(gone.at)) ? { ...c, schedule } : undefined;
    },
    function addFusion(c, rng) {
      const p = fused(c.fusion);
      const b = pick(rng, fusionSites(p));
      if (b === undefined || checkFusion(p, b, fusionOptions) !== null) return undefined;
      const fusion = [...c.fusion, FUSE.step(b, {})];
      return { fusion, schedule: keepUnchanged(p, fused(fusion), c.schedule) };
    },
    function removeFusion(c, rng) {
      // Unfusion: the decisions after the removed one that no longer apply go with it.
      if (c.fusion.length === 0) return undefined;
      const gone = pick(rng, c.fusion);
      const fusion: ScheduleStep[] = [];
      for (const d of c.fusion) {
        if (d !== gone && checkFusion(fused(fusion), d.at, fusionOptions) === null) fusion.push(d);
      }
      return { fusion, schedule: keepUnchanged(fused(c.fusion), fused(fusion), c.schedule) };
    },
  ];

  return {
    lowered,
    initial,
    materialize: materializeCached,
    variables: (fusion = initial.fusion) => variablesOf(fused(fusion)),
    count: (fusion = initial.fusion) => variablesOf(fused(fusion)).reduce((n, v) => n * BigInt(v.values.length + 1), 1n),
    *enumerate(fusion = initial.fusion) {
      const p = fused(fusion);
      const vars = variablesOf(p);
      const digits = vars.map(() => 0);
      const kernels = [...new Set(vars.map((v) => kernelOf(v.site)))];
      for (;;) {
        const steps = vars.flatMap((v, i) => (digits[i] > 0 ? [{ t: v.kind.t, at: v.site, p: v.values[digits[i] - 1] }] : []));
        if (kernels.every((k) => stepsOf(steps, k).length === 0 || legal(p, steps, k))) yield { fusion, schedule: { v: 1, steps } };
        let i = 0;
        while (i < vars.length && ++digits[i] > vars[i].values.length) digits[i++] = 0;
        if (i === vars.length) return;
      }
    },
    sample,
    mutate: (c, rng) => {
      for (let i = 0; i < MUTATION_TRIES; i++) {
        const next = pick(rng, mutations)(c, rng);
        if (next && isLegal(next)) return next;
      }
      throw new FreightError(`no legal mutation found in ${MUTATION_TRIES} tries: the space of this program has (almost) no choices`);
    },
    crossover: (a, b, rng) => {
      const fusion = (rng() < 0.5 ? a : b).fusion;
      const p = fused(fusion);
      const steps = p.kernels.flatMap((k) => {
        const parents = rng() < 0.5 ? [a, b] : [b, a];
        const fits = parents.find((c) => sameKernel(fused(c.fusion), p, k.id) && legal(p, stepsOf(c.schedule.steps, k), k.id));
        return fits ? stepsOf(fits.schedule.steps, k) : [];
      });
      return { fusion, schedule: { v: 1, steps } };
    },
  };
}

const planKey = (fusion: readonly ScheduleStep[]): string => fusion.map((s) => s.at).join('\n');

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)];
}

/** The values split by their decision `key` (all in one group without a key), in first-seen order. */
function groupBy(values: readonly Params[], key: string | undefined): Params[][] {
  const groups = new Map<unknown, Params[]>();
  for (const v of values) {
    const k = key === undefined ? undefined : v[key];
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  return [...groups.values()];
}
