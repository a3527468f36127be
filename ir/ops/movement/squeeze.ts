// Squeeze and Unsqueeze (opset-13 form: axes is a constant input). Squeeze without axes drops
// every dimension of size 1; Unsqueeze's axes count in the output's rank.

import { FreightError } from '../../errors.js';
import { formatShape } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { normalizeAxes } from '../util.js';
import { intList, optionalIntList } from './inputs.js';
import { viewOp } from './view.js';

interface AxesAttrs {
  /** null: Squeeze without axes. */
  readonly axes: readonly number[] | null;
}

export const squeeze: OpDef<AxesAttrs> = viewOp<AxesAttrs>(
  'Squeeze',
  (ctx) => ({ attrs: { axes: optionalIntList(ctx, 1, 'axes') ?? null }, consumed: [1] }),
  ({ axes }, input) => {
    if (!axes) return input.filter((d) => d !== 1);
    const drop = normalizeAxes(axes, input.length);
    for (const a of drop) {
      if (input[a] !== 1) throw new FreightError(`it cannot squeeze axis ${a} of shape ${formatShape(input)}: its size is ${input[a]}, not 1`);
    }
    return input.filter((_, i) => !drop.includes(i));
  },
);

export const unsqueeze: OpDef<AxesAttrs> = viewOp<AxesAttrs>(
  'Unsqueeze',
  (ctx) => ({ attrs: { axes: intList(ctx.requireConstant(1, 'axes'), 'axes', true) }, consumed: [1] }),
  ({ axes }, input) => {
    const rank = input.length + axes!.length;
    const added = normalizeAxes(axes!, rank);
    const rest = [...input];
    return Array.from({ length: rank }, (_, i) => (added.includes(i) ? 1 : rest.shift()!));
  },
);
