// Checks of operator inputs shared by this family, each failing with a sentence that names the
// input and what was wrong with it.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, sameShape, toIntArray, type Shape, type Tensor } from '../../tensor.js';
import type { ResolveContext } from '../op.js';

export function requireRank(info: ValueInfo, atLeast: number, what: string): void {
  if (info.shape.length < atLeast) {
    throw new FreightError(`its ${what} has rank ${info.shape.length} (shape ${formatShape(info.shape)}), but it must have rank ${atLeast} or more`);
  }
}

export function requireShape(info: ValueInfo | undefined, shape: Shape, what: string): void {
  if (info && !sameShape(info.shape, shape)) {
    throw new FreightError(`its ${what} has shape ${formatShape(info.shape)}, but it must have shape ${formatShape(shape)}`);
  }
}

/** The values of an axes input: a 1-D (or scalar) integer tensor. */
export function axesOf(t: Tensor): number[] {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') throw new FreightError(`its axes input has dtype ${t.dtype}, but it must be int64`);
  if (t.shape.length > 1) throw new FreightError(`its axes input has shape ${formatShape(t.shape)}, but it must be 1-D`);
  return toIntArray(t);
}

/** The epsilon attribute (ONNX allows any value; a non-finite one is surely a mistake). */
export function epsilonOf(ctx: ResolveContext, fallback: number): number {
  const eps = ctx.float('epsilon', fallback);
  if (!Number.isFinite(eps)) throw new FreightError(`epsilon ${eps} is not a finite number`);
  return eps;
}

/** Normalization statistics need at least one element per group. */
export function requireStatistics(count: number, what: string): void {
  if (count === 0) throw new FreightError(`${what} have no elements, so their mean and variance are undefined`);
}
