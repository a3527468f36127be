// The iteration space of a reduction over some axes of a tensor, shared by every lowering in this
// family: one dim per axis of the tensor (reduced axes flagged), and the indices that read the
// tensor and write a result that keeps (size 1) or drops the reduced axes.

import { c, v, type Expr } from '../../expr.js';
import type { Dim } from '../../program.js';
import type { Shape } from '../../tensor.js';

export interface ReductionSpace {
  /** One dim per axis, named d0, d1, …; reduced axes are reduce dims. */
  readonly dims: readonly Dim[];
  /** The same dims, none reduced: an elementwise map over the whole tensor. */
  readonly elementwise: readonly Dim[];
  /** Index into the tensor itself. */
  readonly full: readonly Expr[];
  /** Index into a result whose reduced axes are kept with size 1. */
  readonly kept: readonly Expr[];
  /** Index into a result whose reduced axes are dropped. */
  readonly dropped: readonly Expr[];
  /** How many elements combine into each result. */
  readonly count: number;
}

/**
 * The reduction of `shape` over `axes`. With no axes every result combines one element; the map
 * still gets a reduce dim (of extent 1) so that its wcr and epilogue apply, which is exactly what
 * reducing over an empty set of axes means (ReduceSumSquare of x is x², not x).
 */
export function reductionSpace(shape: Shape, axes: readonly number[]): ReductionSpace {
  const reduced = (i: number): boolean => axes.includes(i);
  const elementwise = shape.map((extent, i) => ({ name: `d${i}`, extent }));
  const dims: Dim[] = elementwise.map((d, i) => (reduced(i) ? { ...d, reduce: true } : d));
  if (axes.length === 0) dims.push({ name: 'r', extent: 1, reduce: true });
  const full = elementwise.map((d) => v(d.name));
  return {
    dims,
    elementwise,
    full,
    kept: full.map((e, i) => (reduced(i) ? c(0) : e)),
    dropped: full.filter((_, i) => !reduced(i)),
    count: axes.reduce((n, a) => n * shape[a], 1),
  };
}

/** `shape` with the reduced axes kept as 1 or dropped. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  return keepdims
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}
