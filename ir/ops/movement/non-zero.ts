// NonZero: the indices of the non-zero elements, [rank, count]. The count decides the output's
// static shape, so freight supports NonZero only on compile-time constants, where it folds.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { unravel } from '../util.js';

interface NonZeroAttrs {
  /** Number of non-zero elements of the constant input. */
  readonly count: number;
}

export const nonZero: OpDef<NonZeroAttrs> = {
  type: 'NonZero',
  resolve(ctx) {
    const t = ctx.constant(0);
    if (!t) {
      throw new FreightError('its input must be a compile-time constant: the number of non-zero elements decides its output shape, and freight needs static shapes');
    }
    return { attrs: { count: toNumbers(t).filter((x) => x !== 0).length } };
  },
  infer: ({ count }, [x]): ValueInfo[] => [{ dtype: 'int64', shape: [x!.shape.length, count] }],
  reference(_attrs, [x], [out]): Tensor[] {
    const values = toNumbers(x!);
    const rank = x!.shape.length;
    const count = out.shape[1];
    const result = new Float64Array(rank * count);
    let k = 0;
    values.forEach((value, flat) => {
      if (value === 0) return;
      unravel(flat, x!.shape).forEach((i, a) => { result[a * count + k] = i; });
      k++;
    });
    return [fromNumbers('int64', [rank, count], result)];
  },
  lower() {
    throw new FreightError('NonZero on a constant too large to fold is not supported');
  },
};
