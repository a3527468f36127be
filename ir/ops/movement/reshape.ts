// Reshape: the shape input (a compile-time constant) with 0 = copy the input's dimension
// (unless allowzero=1, where 0 is a zero-size dimension) and one -1 inferred from the rest.

import { FreightError } from '../../errors.js';
import { formatShape, sizeOf, type Shape } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { intList } from './inputs.js';
import { viewOp } from './view.js';

interface ReshapeAttrs {
  /** The shape input as given (0 and -1 unresolved). */
  readonly shape: readonly number[];
  readonly allowzero: boolean;
}

export const reshape: OpDef<ReshapeAttrs> = viewOp<ReshapeAttrs>(
  'Reshape',
  (ctx) => ({
    attrs: {
      shape: intList(ctx.requireConstant(1, 'shape'), 'shape'),
      allowzero: ctx.int('allowzero', 0) !== 0,
    },
    consumed: [1],
  }),
  (attrs, input) => reshapeTarget(input, attrs.shape, attrs.allowzero),
);

export function reshapeTarget(input: Shape, requested: readonly number[], allowzero: boolean): number[] {
  const shown = `[${requested.join(',')}]`;
  if (requested.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new FreightError(`its shape ${shown} has an entry below -1`);
  }
  const inferred = requested.filter((d) => d === -1).length;
  if (inferred > 1) throw new FreightError(`its shape ${shown} has more than one -1`);
  if (allowzero && inferred > 0 && requested.includes(0)) {
    throw new FreightError(`its shape ${shown} has both 0 and -1, which allowzero=1 forbids`);
  }
  const out = requested.map((d, i) => {
    if (d !== 0 || allowzero) return d;
    if (i >= input.length) {
      throw new FreightError(`its shape ${shown} copies dimension ${i} (0) of the input ${formatShape(input)}, which has no such dimension`);
    }
    return input[i];
  });
  const total = sizeOf(input);
  const hole = out.indexOf(-1);
  if (hole >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== hole));
    if (known === 0 || total % known !== 0) {
      throw new FreightError(`cannot reshape ${formatShape(input)} (${total} elements) to ${shown}: the -1 cannot be inferred`);
    }
    out[hole] = total / known;
  }
  if (sizeOf(out) !== total) {
    throw new FreightError(`cannot reshape ${formatShape(input)} (${total} elements) to ${formatShape(out)} (${sizeOf(out)} elements)`);
  }
  return out;
}
