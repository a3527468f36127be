// Flatten: a 2-D view [prod(dims before axis), prod(dims from axis)]; axis may be negative.

import { FreightError } from '../../errors.js';
import { sizeOf } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { viewOp } from './view.js';

export const flatten: OpDef<{ readonly axis: number }> = viewOp<{ readonly axis: number }>(
  'Flatten',
  (ctx) => ({ attrs: { axis: ctx.int('axis', 1) } }),
  ({ axis }, input) => {
    const r = input.length;
    if (!Number.isInteger(axis) || axis < -r || axis > r) {
      throw new FreightError(`axis ${axis} is out of range for a tensor of rank ${r} (Flatten accepts [-${r}, ${r}])`);
    }
    const a = axis < 0 ? axis + r : axis;
    return [sizeOf(input.slice(0, a)), sizeOf(input.slice(a))];
  },
);
