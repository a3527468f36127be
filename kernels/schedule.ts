// Schedules as plain versioned JSON (`{ v: 1, steps: [{ t, at, p }] }`) and the per-map resolved
// form codegen consumes. A step names its kind (`t`), its site (`at`: `k4` for a kernel's maps,
// `k4.m1` for one map) and its sampled decisions (`p`), so search can mutate decisions without
// touching kinds. Resolution replays the steps over the default schedule of every map; a step of an
// unknown kind, at an unknown site or with a bad decision is refused with the reason.

import { FreightError } from '../ir/errors.js';
import { readsOf, varsOf } from '../ir/expr.js';
import { rowLayout } from '../ir/fusion/index.js';
import { storageOf, type Dim, type MapOp, type Program } from '../ir/program.js';
import type { BufferLookup } from './codegen/generate-map.js';
import { checkIndexRange } from './codegen/index-range.js';
import { checkRowSchedule, defaultRowSchedule } from './codegen/row-schedule.js';
import { checkTiling } from './codegen/tiled-reduction.js';
import type { ParameterPlace } from './codegen/uniform-params.js';
import { checkVec4 } from './codegen/vec4.js';
import { defaultSchedule } from './default-schedule.js';

export interface ScheduleStep {
  /** Step kind: 'workgroup-size' | 'reduction' | 'register-block' | 'unroll' | 'reorder' | 'vectorize' | 'tile' | 'stage' | 'parameters'. */
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

export type ReductionStrategy = 'serial' | 'workgroup-tree' | 'subgroup';

/**
 * How one map runs. Later primitives (tile, reorder, unroll, vec4, staging in workgroup memory,
 * register blocking) become new optional fields; codegen refuses fields it does not know.
 */
export interface MapSchedule {
  /**
   * Invocations per workgroup (1-D). A power of two for 'workgroup-tree'; for 'subgroup' at most the
   * device's minimum subgroup size, so that the workgroup is one subgroup.
   */
  readonly workgroupSize: number;
  /** 'flat': the parallel dims linearized (last dim fastest) over the global invocations. */
  readonly bind: 'flat';
  /**
   * 'serial': each invocation loops over the reduce dims in registers. 'workgroup-tree': one
   * workgroup per output point; strided partial results, then a tree in workgroup memory.
   * 'subgroup': one workgroup per output point that is a single subgroup; strided partial results,
   * then one subgroup operation (subgroupAdd, …) combines them, with no workgroup memory or barrier.
   */
  readonly reduction: ReductionStrategy;
  /**
   * Register blocking (serial reductions only): each invocation computes a tile of outputs, `size`
   * consecutive ones along each blocked parallel dim, one accumulator each, so that a read that
   * does not depend on a blocked dim is loaded once per reduction step for all the tile's outputs
   * along it (a GEMM blocked 4×4 along m and n loads 8 values for 16 FMAs instead of 32).
   */
  readonly registerBlocks?: readonly RegisterBlock[];
  /**
   * Unrolled reduce dims (serial reductions only): the loop over the dim steps by `factor` with
   * the body repeated, a straight-line remainder where the extent does not divide. An unrolled
   * loop that encloses others is unrolled and jammed: its copies repeat the innermost body.
   */
  readonly unroll?: readonly Unroll[];
  /**
   * Every dim of the map in a new order, reduce dims where reduce dims were: the parallel dims'
   * order is their linearization over invocations (the last fastest across neighbours), the
   * reduce dims' order the nesting of their loops (the first outermost). Absent: the map's order.
   */
  readonly order?: readonly string[];
  /** Accesses loaded or stored four elements at a time, as vec4<f32> (see codegen/vec4.ts). */
  readonly vectorized?: readonly Vec4Access[];
  /**
   * Workgroup tiles (serial reductions; codegen/tiled-reduction.ts): along each tiled parallel dim,
   * `size` consecutive register-block tiles belong to one workgroup, whose size is the product.
   */
  readonly tiles?: readonly Tile[];
  /** Reads staged in workgroup memory a chunk of `k` reduction steps at a time (needs tiles). */
  readonly staged?: readonly Stage[];
  /**
   * Where the run-time parameters (extents, strides, index constants, grid bounds) live: WGSL
   * literals ('constant', also when absent), or a uniform buffer ('uniform'), so that maps
   * differing only in shapes share one pipeline at the price of loading what was a literal.
   */
  readonly parameters?: ParameterPlace;
}

export interface Tile {
  /** A parallel dim of the map. */
  readonly dim: string;
  /** Invocations of a workgroup along it. */
  readonly size: number;
}

export interface Stage {
  /** A read of the reduction body (its index among the map's reads). */
  readonly read: number;
  /** Reduction steps per chunk staged at once. */
  readonly k: number;
}

export interface Unroll {
  /** A reduce dim of the map. */
  readonly dim: string;
  /** Copies of the body per iteration: 2, 4 or 8. */
  readonly factor: number;
}

export interface Vec4Access {
  /** A read (its index among the map's reads) or the write. */
  readonly access: number | 'write';
  /** The dim whose four consecutive values the vec4 covers: register-blocked or unrolled by 4 or 8. */
  readonly dim: string;
}

export const UNROLL_FACTORS: readonly number[] = [2, 4, 8];

export interface RegisterBlock {
  /** A parallel dim of the map. */
  readonly dim: string;
  /** Outputs per invocation: 2, 4 or 8. */
  readonly size: number;
}

export const REGISTER_BLOCK_SIZES: readonly number[] = [2, 4, 8];

/** At most this many blocked dims and accumulators per invocation (registers are finite). */
export const MAX_BLOCKED_DIMS = 2;
export const MAX_ACCUMULATORS = 32;

/** What the defaults need to know of the device. */
export interface ScheduleTarget {
  /** The adapter's maxComputeInvocationsPerWorkgroup. */
  readonly maxInvocations: number;
  /**
   * Invocations the device runs at once, roughly: below this many outputs a serial reduction
   * leaves lanes idle. A GPU holds tens of thousands; SwiftShader one SIMD group per CPU core.
   */
  readonly concurrency: number;
  /** Workgroups the device runs at once (SwiftShader: one per CPU core). */
  readonly workgroupsAtOnce: number;
  /** Invocations that execute in lockstep (a subgroup); the smallest workgroup worth running. */
  readonly simdWidth: number;
  /** Whether the device was opened with WGSL subgroup operations ('subgroups' feature). */
  readonly subgroups: boolean;
  /** The adapter's minimum subgroup size: a workgroup this small is always one subgroup. */
  readonly subgroupSize: number;
  /** The device's kind where one was opened (targetOf); absent for a nominal target. */
  readonly kind?: 'hardware' | 'swiftshader';
}

/** A mid-sized GPU; targetOf (kernels/target.ts) gives the measured device's. */
export const DEFAULT_TARGET: ScheduleTarget = { maxInvocations: 256, concurrency: 32768, workgroupsAtOnce: 256, simdWidth: 32, subgroups: false, subgroupSize: 32 };

export const EMPTY_SCHEDULE: Schedule = { v: 1, steps: [] };

/** Site name of map `i` of kernel `kernelId`. */
export const mapSite = (kernelId: string, i: number): string => `${kernelId}.m${i}`;

export const parallelExtent = (m: MapOp): number => m.dims.filter((d) => !d.reduce).reduce((n, d) => n * d.extent, 1);
export const reduceExtent = (m: MapOp): number => m.dims.filter((d) => d.reduce).reduce((n, d) => n * d.extent, 1);

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
 * Checks a resolved schedule against the map and the device; null when legal, else the reason.
 * vec4 accesses are proven aligned from the buffers' shapes, so they need `buffers`.
 */
export function checkMapSchedule(m: MapOp, s: MapSchedule, target: ScheduleTarget = DEFAULT_TARGET, buffers?: BufferLookup): string | null {
  const { maxInvocations } = target;
  if (!Number.isInteger(s.workgroupSize) || s.workgroupSize < 1 || s.workgroupSize > maxInvocations) {
    return `workgroup size ${s.workgroupSize} is not an integer in [1, ${maxInvocations}]`;
  }
  if (s.bind !== 'flat') return `bind '${String(s.bind)}' is not supported`;
  const why = checkReduction(m, s, target);
  if (why) return why;
  for (const b of s.registerBlocks ?? []) {
    const why = checkRegisterBlock(m, s, b);
    if (why) return why;
  }
  const blocks = s.registerBlocks ?? [];
  if (blocks.length > MAX_BLOCKED_DIMS) return `register blocking along ${blocks.length} dims; at most ${MAX_BLOCKED_DIMS} are supported`;
  const accumulators = blocks.reduce((n, b) => n * b.size, 1);
  if (accumulators > MAX_ACCUMULATORS) return `register blocks of ${blocks.map((b) => `${b.dim}×${b.size}`).join(', ')} need ${accumulators} accumulators; at most ${MAX_ACCUMULATORS} fit in registers`;
  for (const u of s.unroll ?? []) {
    const why = checkUnroll(m, s, u);
    if (why) return why;
  }
  if (s.order) {
    const why = checkOrder(m, s.order);
    if (why) return why;
  }
  for (const a of s.vectorized ?? []) {
    if (!buffers) return 'vec4 accesses need the program\'s buffers to prove their alignment';
    const why = checkVec4(m, s, a, buffers);
    if (why) return why;
  }
  if (s.parameters !== undefined && s.parameters !== 'constant' && s.parameters !== 'uniform') {
    return `parameters in '${String(s.parameters)}': only 'constant' and 'uniform' are supported`;
  }
  const tiling = s.tiles || s.staged ? checkTiling(m, s) : null;
  return tiling ?? checkIndexRange(m, s, buffers);
}

function checkReduction(m: MapOp, s: MapSchedule, target: ScheduleTarget): string | null {
  switch (s.reduction) {
    case 'serial': return null;
    case 'workgroup-tree':
      if (!m.write.wcr) return 'a workgroup tree needs a reduction map';
      if ((s.workgroupSize & (s.workgroupSize - 1)) !== 0) return `a workgroup tree needs a power-of-two workgroup size, not ${s.workgroupSize}`;
      return null;
    case 'subgroup':
      if (!m.write.wcr) return 'a subgroup reduction needs a reduction map';
      if (!target.subgroups) return 'a subgroup reduction needs subgroup operations, which the device does not offer';
      if (s.workgroupSize > target.subgroupSize) {
        return `a subgroup reduction runs one subgroup per workgroup: workgroup size ${s.workgroupSize} exceeds the device's subgroup size ${target.subgroupSize}`;
      }
      return null;
    default: return `reduction '${String(s.reduction)}' is not supported`;
  }
}

function checkUnroll(m: MapOp, s: MapSchedule, u: Unroll): string | null {
  if (!UNROLL_FACTORS.includes(u.factor)) return `unroll factor ${String(u.factor)} is not one of ${UNROLL_FACTORS.join(', ')}`;
  const d = m.dims.find((x) => x.name === u.dim);
  if (!d) return `unroll dim '${String(u.dim)}' is not a dim of the map (${m.dims.map((x) => x.name).join(', ')})`;
  if (!d.reduce) return `unroll dim '${u.dim}' is a parallel dim; only the loops of reduce dims unroll`;
  if (s.reduction !== 'serial') return `unrolling needs the serial reduction, not '${s.reduction}'`;
  return null;
}

function checkOrder(m: MapOp, order: readonly string[]): string | null {
  const names = m.dims.map((x) => x.name).join(', ');
  if (!Array.isArray(order) || order.length !== m.dims.length) return `reorder lists ${Array.isArray(order) ? order.length : 0} dims; the map has ${m.dims.length} (${names})`;
  for (const [i, name] of order.entries()) {
    const d = m.dims.find((x) => x.name === name);
    if (!d) return `reorder names '${String(name)}', not a dim of the map (${names})`;
    if (order.indexOf(name) !== i) return `reorder names '${name}' twice`;
    // Reduce dims keep the places of reduce dims: the order only permutes within each kind.
    if (Boolean(d.reduce) !== Boolean(m.dims[i].reduce)) {
      const kind = (x: Dim): string => (x.reduce ? 'reduce' : 'parallel');
      return `reorder puts ${kind(d)} dim '${name}' in the place of ${kind(m.dims[i])} dim '${m.dims[i].name}'; dims reorder only among their kind`;
    }
  }
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
export function resolveSchedule(p: Program, schedule: Schedule = EMPTY_SCHEDULE, target: ScheduleTarget = DEFAULT_TARGET): Map<string, MapSchedule> {
  if (schedule.v !== 1) throw new FreightError(`schedule version ${String(schedule.v)} is not supported (expected 1)`);
  const buffers: BufferLookup = {
    buffer: (name) => {
      const b = p.buffers.get(name);
      if (!b) throw new FreightError(`schedule: the program has no buffer '${name}'`);
      return b;
    },
    root: (name) => storageOf(p, name),
  };
  const maps = new Map<string, { m: MapOp; s: MapSchedule; row?: true }>();
  for (const k of p.kernels) {
    // A row kernel runs as one shader under its first map's schedule (codegen/row-schedule.ts).
    const layout = rowLayout(p, k);
    k.maps.forEach((m, i) => maps.set(mapSite(k.id, i), typeof layout === 'string'
      ? { m, s: defaultSchedule(m, target, buffers) }
      : { m, s: defaultRowSchedule(k, layout, target), row: true }));
  }
  for (const step of schedule.steps) {
    const sites = [...maps.keys()].filter((key) => key === step.at || key.startsWith(`${step.at}.m`));
    if (sites.length === 0) throw new FreightError(`schedule step '${step.t}' at '${step.at}': no such kernel or map`);
    for (const site of sites) {
      const entry = maps.get(site)!;
      entry.s = applyStep(entry.s, step, target);
      const why = entry.row ? checkRowSchedule(entry.s, target) : checkMapSchedule(entry.m, entry.s, target, buffers);
      if (why) throw new FreightError(`schedule step '${step.t}' at '${step.at}': ${why}`);
    }
  }
  return new Map([...maps].map(([site, { s }]) => [site, s]));
}

function applyStep(s: MapSchedule, step: ScheduleStep, target: ScheduleTarget): MapSchedule {
  switch (step.t) {
    case 'workgroup-size': return { ...s, workgroupSize: Number(step.p.size) };
    case 'reduction': {
      // A tree or a subgroup reduces one output per workgroup in a strided loop: it drops register
      // blocks, unrolling and the vec4 accesses they allowed. A subgroup's workgroup is one subgroup.
      const { registerBlocks: _b, unroll: _u, vectorized: _v, ...rest } = s;
      const reduction = step.p.strategy as ReductionStrategy;
      if (reduction === 'subgroup') return { ...rest, reduction, workgroupSize: target.subgroupSize };
      return reduction === 'serial' ? { ...s, reduction } : { ...rest, reduction };
    }
    case 'register-block': {
      // Sets (or with size 1, removes) the block along one dim; blocks along other dims stay.
      const { registerBlocks: old = [], ...rest } = s;
      const others = old.filter((b) => b.dim !== step.p.dim);
      const blocks = step.p.size === 1 || step.p.size === null ? others : [...others, { dim: step.p.dim as string, size: Number(step.p.size) }];
      return keepVec4(blocks.length ? { ...rest, registerBlocks: blocks } : rest);
    }
    case 'unroll': {
      // Sets (or with factor 1, removes) the unrolling of one dim.
      const { unroll: old = [], ...rest } = s;
      const others = old.filter((u) => u.dim !== step.p.dim);
      const unroll = step.p.factor === 1 || step.p.factor === null ? others : [...others, { dim: step.p.dim as string, factor: Number(step.p.factor) }];
      return keepVec4(unroll.length ? { ...rest, unroll } : rest);
    }
    case 'reorder': {
      // Sets (or with null, removes) the order of the dims.
      const { order: _, ...rest } = s;
      return step.p.order === null ? rest : { ...rest, order: step.p.order as string[] };
    }
    case 'vectorize': {
      // Sets (or with dim null, removes) the vec4 form of one access.
      const { vectorized: old = [], ...rest } = s;
      const others = old.filter((a) => a.access !== step.p.access);
      const vectorized = step.p.dim === null ? others : [...others, { access: step.p.access as number | 'write', dim: step.p.dim as string }];
      return vectorized.length ? { ...rest, vectorized } : rest;
    }
    case 'tile': {
      // Sets (or with size 1, removes) the tile along one dim; the workgroup is the tiles' product.
      // Tiled maps have no vec4 accesses yet: they are dropped.
      const { tiles: old = [], staged, vectorized: _v, ...rest } = s;
      const others = old.filter((t) => t.dim !== step.p.dim);
      const tiles = step.p.size === 1 || step.p.size === null ? others : [...others, { dim: step.p.dim as string, size: Number(step.p.size) }];
      if (!tiles.length) return rest;
      return { ...rest, tiles, workgroupSize: tiles.reduce((n, t) => n * t.size, 1), ...(staged ? { staged } : {}) };
    }
    case 'parameters': {
      // Sets where the run-time parameters live; 'constant' removes the field.
      const { parameters: _, ...rest } = s;
      return step.p.in === 'constant' ? rest : { ...rest, parameters: step.p.in as ParameterPlace };
    }
    case 'stage': {
      // Sets (or with k null, removes) the staging of one read.
      const { staged: old = [], ...rest } = s;
      const others = old.filter((x) => x.read !== step.p.read);
      const staged = step.p.k === null ? others : [...others, { read: Number(step.p.read), k: Number(step.p.k) }];
      return staged.length ? { ...rest, staged } : rest;
    }
    default: throw new FreightError(`schedule step kind '${step.t}' at '${step.at}' is not supported`);
  }
}

/** Drops the vec4 accesses along dims that no longer give four values at once (a default's, after a block or unroll changed). */
function keepVec4(s: MapSchedule): MapSchedule {
  const { vectorized: old = [], ...rest } = s;
  const spread = [...(s.registerBlocks ?? []).map((b) => [b.dim, b.size] as const), ...(s.unroll ?? []).map((u) => [u.dim, u.factor] as const)];
  const vectorized = old.filter((a) => spread.some(([dim, n]) => dim === a.dim && n % 4 === 0));
  return vectorized.length ? { ...rest, vectorized } : rest;
}
