// How one map runs under its schedule, as far as data movement cares: which dims its invocations
// enumerate (and in which order, the last fastest across neighbouring invocations), which values of
// the dims one invocation covers at once (register-block lanes, unrolled copies), how many loop
// steps it takes, and how many invocations and workgroups the dispatch has. This is the one place
// that reads the schedule: a new schedule field changes the shape here and the traffic follows.
// Fields it does not know (vec4 accesses, say) move no fewer bytes, so they are ignored: the
// estimate stays conservative.

import type { MapOp } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';

export interface ExecutionShape {
  /**
   * One workgroup per output, its invocations striding over the reduce points: a workgroup tree
   * (partial results combined in workgroup memory) or a subgroup reduction (combined by one
   * subgroup operation, in registers).
   */
  readonly perOutput: 'workgroup-tree' | 'subgroup' | null;
  /** Parallel dims (indices into map.dims) in linearization order, the last fastest. */
  readonly parallel: readonly number[];
  /** Reduce dims, the first outermost. */
  readonly reduce: readonly number[];
  /** Per dim: consecutive values one invocation (or one loop step) covers at once; 1 for most. */
  readonly span: Int32Array;
  /** Per dim: the values it takes in units of its span, ⌈extent / span⌉. */
  readonly tiles: Int32Array;
  readonly workgroupSize: number;
  readonly invocations: number;
  readonly workgroups: number;
  /** Loop steps per invocation (reduce points, divided among a per-output workgroup's invocations). */
  readonly steps: number;
}

export function executionShape(m: MapOp, s: MapSchedule): ExecutionShape {
  const index = new Map(m.dims.map((d, i) => [d.name, i]));
  const order = (s.order ?? m.dims.map((d) => d.name)).map((name) => index.get(name)!);
  const parallel = order.filter((i) => !m.dims[i].reduce);
  const reduce = order.filter((i) => m.dims[i].reduce);
  const perOutput = s.reduction !== 'serial' && m.write.wcr !== undefined ? s.reduction : null;
  const span = new Int32Array(m.dims.length).fill(1);
  if (!perOutput) {
    for (const b of s.registerBlocks ?? []) span[index.get(b.dim)!] = b.size;
    for (const u of s.unroll ?? []) span[index.get(u.dim)!] = u.factor;
  }
  const tiles = Int32Array.from(m.dims, (d, i) => Math.ceil(d.extent / span[i]));
  const outer = (dims: readonly number[]): number => dims.reduce((n, i) => n * tiles[i], 1);
  const wg = s.workgroupSize;
  const common = { perOutput, parallel, reduce, span, tiles, workgroupSize: wg };
  if (perOutput) {
    const outputs = outer(parallel);
    return { ...common, invocations: outputs * wg, workgroups: outputs, steps: Math.ceil(outer(reduce) / wg) };
  }
  const invocations = outer(parallel);
  return { ...common, invocations, workgroups: Math.ceil(invocations / wg), steps: outer(reduce) };
}

/** Writes into `x` the values of `dims` at linear position `flat` over their tiles (the last fastest). */
export function delinearize(shape: ExecutionShape, dims: readonly number[], flat: number, x: Int32Array): void {
  for (let j = dims.length - 1; j >= 0; j--) {
    const i = dims[j];
    const n = shape.tiles[i];
    x[i] = (flat % n) * shape.span[i];
    flat = (flat - (flat % n)) / n;
  }
}
