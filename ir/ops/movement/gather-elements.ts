// GatherElements: out[i] = data[i with axis replaced by indices[i]]; the output has the shape of
// indices. The data read is indirect through the indices memlet, which is read at the output's
// own position.

import { FreightError } from '../../errors.js';
import { read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, normalizeAxis, varsOf } from '../util.js';
import { checkedIndex, fromEnd } from './gather.js';
import { checkIndexDtype, need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface GatherElementsAttrs { readonly axis: number }

export const gatherElements: OpDef<GatherElementsAttrs> = {
  type: 'GatherElements',
  resolve: (ctx) => ({ attrs: { axis: ctx.int('axis', 0) } }),
  infer({ axis }, inputs): ValueInfo[] {
    const data = need(inputs, 0, 'data');
    const indices = need(inputs, 1, 'indices');
    checkIndexDtype(indices, 'indices');
    const r = data.shape.length;
    if (r === 0) throw new FreightError('it cannot gather from a scalar (rank 0)');
    const a = normalizeAxis(axis, r);
    const fits = indices.shape.length === r && indices.shape.every((d, i) => i === a || d <= data.shape[i]);
    if (!fits) {
      throw new FreightError(`its indices ${formatShape(indices.shape)} do not fit its data ${formatShape(data.shape)} outside axis ${a}`);
    }
    return [{ dtype: data.dtype, shape: [...indices.shape] }];
  },
  reference({ axis }, [data, indices], [out]): Tensor[] {
    const a = normalizeAxis(axis, data!.shape.length);
    const ids = toNumbers(indices!);
    return [pick(data!, out.shape, (idx) => {
      const src = [...idx];
      src[a] = checkedIndex(ids[flatIndex(out.shape, idx)], data!.shape[a], 'index');
      return flatIndex(data!.shape, src);
    })];
  },
  lower(ctx, { axis }) {
    const x = ctx.input(0);
    const indices = ctx.input(1);
    const out = ctx.output(0);
    const a = normalizeAxis(axis, x.shape.length);
    const dims = dimsOf(out.shape);
    const vars = varsOf(dims);
    const at = vars.map((e, i) => (i === a ? fromEnd(read(1), x.shape[a]) : e));
    ctx.map({
      dims,
      reads: [{ buffer: x.name, index: at }, { buffer: indices.name, index: vars }],
      body: read(0),
      write: { buffer: out.name, index: vars },
    });
  },
};
