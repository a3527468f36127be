// Checks of operator inputs shared by the linear family, each failing with a sentence that names
// the input and what was wrong with it.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape } from '../../tensor.js';
import type { ResolveContext } from '../op.js';
import { requireDtype, requireInput } from '../util.js';

export function requireImage(info: ValueInfo, what: string): void {
  if (info.shape.length < 3) {
    throw new FreightError(`${what} has shape ${formatShape(info.shape)}, but it must be [N, C, spatial...] with at least one spatial axis`);
  }
}

/** A positive integer attribute such as group. */
export function positiveInt(ctx: ResolveContext, name: string, fallback: number): number {
  const value = ctx.int(name, fallback);
  if (!Number.isInteger(value) || value < 1) throw new FreightError(`${name} ${value} must be a positive integer`);
  return value;
}

/** The operands of Conv and ConvTranspose, checked: X an image, W of X's rank, all float32, and `group`. */
export function convOperands(ctx: ResolveContext): { x: ValueInfo; w: ValueInfo; b: ValueInfo | undefined; group: number } {
  const x = requireInput(ctx, 0, 'X');
  const w = requireInput(ctx, 1, 'W');
  const b = ctx.input(2);
  requireImage(x, 'X');
  for (const [info, what] of [[x, 'X'], [w, 'W'], [b, 'B']] as const) if (info) requireDtype(info, ['float32'], what);
  if (w.shape.length !== x.shape.length) {
    throw new FreightError(`W has shape ${formatShape(w.shape)}, but X ${formatShape(x.shape)} needs a weight of rank ${x.shape.length}`);
  }
  return { x, w, b, group: positiveInt(ctx, 'group', 1) };
}
