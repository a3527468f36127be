// Reference-side helpers: which input elements reduce into which result, and per-group moments
// in float64. Plain loops over flat arrays, independent of the lowering's maps.

import { stridesOf, sizeOf, type Shape } from '../../tensor.js';
import { unravel } from '../util.js';
import { reducedShape } from './reduction-space.js';

/**
 * For each result of reducing `shape` over `axes` (in row-major order, which is the same with
 * the reduced axes kept or dropped), the flat offsets of the input elements it combines.
 */
export function reductionGroups(shape: Shape, axes: readonly number[]): number[][] {
  const kept = reducedShape(shape, axes, true);
  const keptStrides = stridesOf(kept);
  const groups: number[][] = Array.from({ length: sizeOf(kept) }, () => []);
  const n = sizeOf(shape);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    let g = 0;
    for (let a = 0; a < idx.length; a++) if (!axes.includes(a)) g += idx[a] * keptStrides[a];
    groups[g].push(i);
  }
  return groups;
}

export interface Moments {
  readonly mean: Float64Array;
  /** 1 / sqrt(variance + epsilon), the biased variance as normalization layers use. */
  readonly invStd: Float64Array;
}

/** Mean and inverse standard deviation of each group, two passes in float64. */
export function groupMoments(x: Float64Array, groups: readonly (readonly number[])[], epsilon: number): Moments {
  const mean = new Float64Array(groups.length);
  const invStd = new Float64Array(groups.length);
  groups.forEach((g, k) => {
    let s = 0;
    for (const i of g) s += x[i];
    const m = s / g.length;
    let ss = 0;
    for (const i of g) ss += (x[i] - m) * (x[i] - m);
    mean[k] = m;
    invStd[k] = 1 / Math.sqrt(ss / g.length + epsilon);
  });
  return { mean, invStd };
}
