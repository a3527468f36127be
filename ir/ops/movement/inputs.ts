// Small checks shared by the movement operators: required inputs, integer lists read from
// constant inputs, and the static-parameter errors they give.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import { toIntArray, type Tensor } from '../../tensor.js';
import type { ResolveContext } from '../op.js';

/** Input i, or a FreightError naming it when the node omits it. */
export function need(inputs: readonly (ValueInfo | undefined)[], i: number, what: string): ValueInfo {
  const x = inputs[i];
  if (!x) throw new FreightError(`its ${what} input is missing`);
  return x;
}

/** The integers of a constant 1-D tensor (a scalar is accepted as one element where `scalarOk`). */
export function intList(t: Tensor, what: string, scalarOk = false): number[] {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') throw new FreightError(`its ${what} must be an integer tensor, not ${t.dtype}`);
  if (t.shape.length !== 1 && !(scalarOk && t.shape.length === 0)) {
    throw new FreightError(`its ${what} must be a 1-D tensor, but has shape [${t.shape.join(',')}]`);
  }
  return toIntArray(t);
}

/** The integers of constant input i, or undefined when the node omits it. */
export function optionalIntList(ctx: ResolveContext, i: number, what: string): number[] | undefined {
  return ctx.input(i) ? intList(ctx.requireConstant(i, what), what) : undefined;
}

/** Refuses index tensors that are not int32/int64. */
export function checkIndexDtype(x: ValueInfo, what: string): void {
  if (x.dtype !== 'int64' && x.dtype !== 'int32') throw new FreightError(`its ${what} must be int32 or int64, not ${x.dtype}`);
}
