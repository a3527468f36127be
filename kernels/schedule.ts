// Schedules as plain versioned JSON (`{ v: 1, steps: [{ t, at, p }] }`) and the per-map resolved
// form codegen consumes. A step names its kind (`t`), its site (`at`: `k4` for a kernel's maps,
// `k4.m1` for one map) and its sampled decisions (`p`), so search can mutate decisions without
// touching kinds. Resolution replays the steps over the default schedule of every map; a step of an
// unknown kind, at an unknown site or with a bad decision is refused with the reason.

import { FreightError } from '../ir/errors.js';
import type { MapOp, Program } from '../ir/program.js';

export interface ScheduleStep {
  /** Step kind: 'workgroup-size' | 'reduction' (more to come: tile, reorder, unroll, vec4, …). */
  readonly t: string;
  /** Site: a kernel id (`k4`, all its maps) or one map (`k4.m1`). */
  readonly at: string;
  /** Sampled decisions. */
  readonly p: Readonly<Record<string, unknown>>;
}

export interface Schedule {
  readonly v: 1;
  readonly steps: readonly ScheduleStep[];
}

export type ReductionStrategy = 'serial' | 'workgroup-tree';

/**
 * How one map runs. Later primitives (tile, reorder, unroll, vec4, staging in workgroup memory,
 * register blocking) become new optional fields; codegen refuses fields it does not know.
 */
export interface MapSchedule {
  /** Invocations per workgroup (1-D). A power of two for 'workgroup-tree'. */
  readonly workgroupSize: number;
  /** 'flat': the parallel dims linearized (last dim fastest) over the global invocations. */
  readonly bind: 'flat';
  /**
   * 'serial': each invocation loops over the reduce dims in registers. 'workgroup-tree': one
   * workgroup per output point; strided partial results, then a tree in workgroup memory.
   */
  readonly reduction: ReductionStrategy;
}

export const EMPTY_SCHEDULE: Schedule = { v: 1, steps: [] };

/** Site name of map `i` of kernel `kernelId`. */
export const mapSite = (kernelId: string, i: number): string => `${kernelId}.m${i}`;

export const parallelExtent = (m: MapOp): number => m.dims.filter((d) => !d.reduce).reduce((n, d) => n * d.extent, 1);
export const reduceExtent = (m: MapOp): number => m.dims.filter((d) => d.reduce).reduce((n, d) => n * d.extent, 1);

/**
 * The heuristic default: reductions with a large reduce extent and few outputs use a workgroup
 * tree (a serial loop would leave most of the device idle); everything else one output per
 * invocation in workgroups of 64.
 */
export function defaultSchedule(m: MapOp): MapSchedule {
  const hasReduce = m.dims.some((d) => d.reduce);
  const r = reduceExtent(m);
  const outputs = parallelExtent(m);
  // A tree pays for its barriers only when there are too few outputs to fill the device with
  // one serial loop each (a thousand outputs already do on every device we meet).
  if (hasReduce && r >= 256 && outputs <= 1024) {
    return { workgroupSize: Math.min(128, nextPow2(r) / 2), bind: 'flat', reduction: 'workgroup-tree' };
  }
  return { workgroupSize: 64, bind: 'flat', reduction: 'serial' };
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Checks a resolved schedule against the map and the device; null when legal, else the reason. */
export function checkMapSchedule(m: MapOp, s: MapSchedule, maxInvocations = 256): string | null {
  if (!Number.isInteger(s.workgroupSize) || s.workgroupSize < 1 || s.workgroupSize > maxInvocations) {
    return `workgroup size ${s.workgroupSize} is not an integer in [1, ${maxInvocations}]`;
  }
  if (s.bind !== 'flat') return `bind '${String(s.bind)}' is not supported`;
  if (s.reduction === 'workgroup-tree') {
    if (!m.write.wcr) return 'a workgroup tree needs a reduction map';
    if ((s.workgroupSize & (s.workgroupSize - 1)) !== 0) return `a workgroup tree needs a power-of-two workgroup size, not ${s.workgroupSize}`;
  } else if (s.reduction !== 'serial') {
    return `reduction '${String(s.reduction)}' is not supported`;
  }
  return null;
}

/** The resolved schedule of every map, keyed by `mapSite`: defaults with the steps replayed. */
export function resolveSchedule(p: Program, schedule: Schedule = EMPTY_SCHEDULE, maxInvocations = 256): Map<string, MapSchedule> {
  if (schedule.v !== 1) throw new FreightError(`schedule version ${String(schedule.v)} is not supported (expected 1)`);
  const maps = new Map<string, { m: MapOp; s: MapSchedule }>();
  for (const k of p.kernels) k.maps.forEach((m, i) => maps.set(mapSite(k.id, i), { m, s: defaultSchedule(m) }));
  for (const step of schedule.steps) {
    const sites = [...maps.keys()].filter((key) => key === step.at || key.startsWith(`${step.at}.m`));
    if (sites.length === 0) throw new FreightError(`schedule step '${step.t}' at '${step.at}': no such kernel or map`);
    for (const site of sites) {
      const entry = maps.get(site)!;
      entry.s = applyStep(entry.s, step);
      const why = checkMapSchedule(entry.m, entry.s, maxInvocations);
      if (why) throw new FreightError(`schedule step '${step.t}' at '${step.at}': ${why}`);
    }
  }
  return new Map([...maps].map(([site, { s }]) => [site, s]));
}

function applyStep(s: MapSchedule, step: ScheduleStep): MapSchedule {
  switch (step.t) {
    case 'workgroup-size': return { ...s, workgroupSize: Number(step.p.size) };
    case 'reduction': return { ...s, reduction: step.p.strategy as ReductionStrategy };
    default: throw new FreightError(`schedule step kind '${step.t}' at '${step.at}' is not supported`);
  }
}
