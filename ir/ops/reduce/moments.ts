// The statistics maps of the normalization layers: the mean over the reduced axes, then (a second
// pass that reads that mean, as a float64 two-pass computation would) 1 / sqrt(variance + epsilon).

import { acc, add, bin, c, mul, read, un, type Expr } from '../../expr.js';
import type { BufferRef, LowerContext } from '../op.js';
import type { ReductionSpace } from './reduction-space.js';

export interface MomentsTarget {
  /** Both shaped like the iterated tensor with the reduced axes kept as 1 (index `space.kept`). */
  readonly mean: BufferRef;
  readonly invStd: BufferRef;
}

/**
 * Emits the two maps over `space`; `xIndex` is the index into `x` for the space's variables
 * (`space.full` unless the space is a view of x, as GroupNormalization's channel groups are).
 */
export function emitMoments(
  ctx: LowerContext, x: BufferRef, space: ReductionSpace, xIndex: readonly Expr[],
  epsilon: number, target: MomentsTarget,
): void {
  const n = c(space.count);
  ctx.map({
    dims: space.dims,
    reads: [{ buffer: x.name, index: xIndex }],
    body: read(0),
    write: { buffer: target.mean.name, index: space.kept, wcr: 'sum' },
    epilogue: bin('div', acc, n),
  });
  const centered = bin('sub', read(0), read(1));
  ctx.map({
    dims: space.dims,
    reads: [{ buffer: x.name, index: xIndex }, { buffer: target.mean.name, index: space.kept }],
    body: mul(centered, centered),
    write: { buffer: target.invStd.name, index: space.kept, wcr: 'sum' },
    epilogue: un('recip', un('sqrt', add(bin('div', acc, n), c(epsilon)))),
  });
}
