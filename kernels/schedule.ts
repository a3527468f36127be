// Schedules as plain versioned JSON (`{ v: 1, steps: [{ t, at, p }] }`) and the per-map resolved
// form codegen consumes. A step names its kind (`t`), its site (`at`: `k4` for a kernel's maps,
// `k4.m1` for one map) and its sampled decisions (`p`), so search can mutate decisions without
// touching kinds. Resolution replays the steps over the default schedule of every map; a step of an
// unknown kind, at an unknown site or with a bad decision is refused with the reason.

import { FreightError } from '../ir/errors.js';
import { readsOf, varsOf, type Expr } from '../ir/expr.js';
import type { MapOp, Program } from '../ir/program.js';

export interface ScheduleStep {
  /** Step kind: 'workgroup-size' | 'reduction' | 'register-block' (more to come: tile, reorder, unroll, vec4, …). */
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
  /**
   * Register blocking (serial reductions only): each invocation computes `size` consecutive
   * outputs along parallel dim `dim`, with `size` accumulators, so that reads that do not depend
   * on `dim` are loaded once per reduction step and reused `size` times.
   */
  readonly registerBlock?: RegisterBlock;
}

export interface RegisterBlock {
  /** A parallel dim of the map. */
  readonly dim: string;
  /** Outputs per invocation: 2, 4 or 8. */
  readonly size: number;
}

export const REGISTER_BLOCK_SIZES: readonly number[] = [2, 4, 8];

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
  // Register blocking (suggestRegisterBlock) is not yet the default: it is unmeasured on the zoo,
  // and SwiftShader's compile time grows steeply with blocked guarded reads.
  return { workgroupSize: 64, bind: 'flat', reduction: 'serial' };
}

/** The reads of `m` whose index depends on dim `name`, directly or through an indirect read. */
export function readsDependingOn(m: MapOp, name: string): Set<number> {
  const memo = new Map<number, boolean>();
  const depends = (r: number): boolean => {
    let d = memo.get(r);
    if (d === undefined) {
      memo.set(r, false);
      d = m.reads[r].index.some((e) => varsOf(e).has(name) || [...readsOf(e)].some(depends));
      memo.set(r, d);
    }
    return d;
  };
  return new Set(m.reads.map((_, r) => r).filter(depends));
}

/**
 * Register blocking pays where some read of the reduction body does not depend on a parallel dim:
 * blocking along that dim loads it once for `size` outputs. The dim saving the most loads wins (a
 * guarded read, e.g. a convolution's padded input, counts double: it also saves its bounds test);
 * ties go to the earlier dim (a convolution's output channel before its width, which keeps
 * neighbouring invocations on neighbouring pixels). Short reductions are left alone: there is
 * little to reuse and the extra registers cost occupancy.
 */
export function suggestRegisterBlock(m: MapOp): RegisterBlock | undefined {
  if (!m.write.wcr || reduceExtent(m) < 8) return undefined;
  const inBody = bodyReads(m, m.body);
  let best: { dim: string; saved: number } | undefined;
  for (const d of m.dims) {
    if (d.reduce || d.extent < 4) continue;
    const dependent = readsDependingOn(m, d.name);
    const saved = [...inBody].filter((r) => !dependent.has(r)).reduce((n, r) => n + (m.reads[r].pad === undefined ? 1 : 2), 0);
    if (saved > 0 && (!best || saved > best.saved)) best = { dim: d.name, saved };
  }
  return best ? { dim: best.dim, size: 4 } : undefined;
}

/** The reads `e` uses, with the reads their indices use. */
function bodyReads(m: MapOp, e: Expr): Set<number> {
  const out = new Set<number>();
  const visit = (r: number): void => {
    if (out.has(r)) return;
    out.add(r);
    for (const x of m.reads[r].index) for (const dep of readsOf(x)) visit(dep);
  };
  for (const r of readsOf(e)) visit(r);
  return out;
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
  if (s.registerBlock) return checkRegisterBlock(m, s, s.registerBlock);
  return null;
}

function checkRegisterBlock(m: MapOp, s: MapSchedule, b: RegisterBlock): string | null {
  if (!REGISTER_BLOCK_SIZES.includes(b.size)) return `register block size ${String(b.size)} is not one of ${REGISTER_BLOCK_SIZES.join(', ')}`;
  const d = m.dims.find((x) => x.name === b.dim);
  if (!d) return `register block dim '${String(b.dim)}' is not a dim of the map (${m.dims.map((x) => x.name).join(', ')})`;
  if (d.reduce) return `register block dim '${b.dim}' is a reduce dim; only parallel dims can be blocked`;
  if (!m.write.wcr) return 'register blocking needs a reduction map (it reuses loads across a reduction loop)';
  if (s.reduction !== 'serial') return `register blocking needs the serial reduction, not '${s.reduction}'`;
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
    case 'reduction': {
      // A tree reduces one output per workgroup: it drops a default register block.
      const { registerBlock: _, ...rest } = s;
      const reduction = step.p.strategy as ReductionStrategy;
      return reduction === 'serial' ? { ...s, reduction } : { ...rest, reduction };
    }
    case 'register-block': {
      if (step.p.size === 1 || step.p.size === null) {
        const { registerBlock: _, ...rest } = s;
        return rest;
      }
      return { ...s, registerBlock: { dim: step.p.dim as string, size: Number(step.p.size) } };
    }
    default: throw new FreightError(`schedule step kind '${step.t}' at '${step.at}' is not supported`);
  }
}
