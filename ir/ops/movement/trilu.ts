// Trilu: keep the upper (j - i >= k) or lower (j - i <= k) triangle of each matrix in the last
// two axes, zero elsewhere. The diagonal offset k is a constant input.

import { FreightError } from '../../errors.js';
import { bin, c, read, sel, sub } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, varsOf } from '../util.js';
import { need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface TriluAttrs {
  readonly upper: boolean;
  readonly k: number;
}

export const trilu: OpDef<TriluAttrs> = {
  type: 'Trilu',
  resolve(ctx) {
    const kTensor = ctx.input(1) ? ctx.requireConstant(1, 'k') : undefined;
    if (kTensor && kTensor.data.length !== 1) throw new FreightError(`its k must be a scalar, but has ${kTensor.data.length} elements`);
    const k = kTensor ? Number(kTensor.data[0]) : 0;
    return { attrs: { upper: ctx.int('upper', 1) !== 0, k }, consumed: [1] };
  },
  infer(_attrs, inputs): ValueInfo[] {
    const x = need(inputs, 0, 'input');
    if (x.shape.length < 2) throw new FreightError(`its input ${formatShape(x.shape)} must have rank 2 or more`);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  reference({ upper, k }, [x], [out]): Tensor[] {
    return [pick(x!, out.shape, (idx) => {
      const [i, j] = idx.slice(-2);
      const keep = upper ? j - i >= k : j - i <= k;
      return keep ? flatIndex(x!.shape, idx) : -1;
    })];
  },
  lower(ctx, { upper, k }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const dims = dimsOf(out.shape);
    const vars = varsOf(dims);
    const r = vars.length;
    const keep = bin(upper ? 'ge' : 'le', sub(vars[r - 1], vars[r - 2]), c(k));
    ctx.map({ dims, reads: [{ buffer: x.name, index: vars }], body: sel(keep, read(0), c(0)), write: { buffer: out.name, index: vars } });
  },
};
