// GatherND with batch_dims b: indices [B.., I.., k] pick k-long index tuples into data
// [B.., D(k).., R..]; out = [B.., I.., R..]. Each tuple component is its own memlet into the
// indices, and the data read uses all k of them (indirect).

import { FreightError } from '../../errors.js';
import { c, read, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, sizeOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, varsOf } from '../util.js';
import { checkedIndex, fromEnd } from './gather.js';
import { checkIndexDtype, need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface GatherNdAttrs { readonly batchDims: number }

function tupleLength(data: readonly number[], indices: readonly number[], b: number): number {
  const q = indices.length;
  const k = q > 0 ? indices[q - 1] : -1;
  const batchOk = b >= 0 && b < Math.min(q, data.length + 1) && indices.slice(0, b).every((d, i) => d === data[i]);
  if (q < 1 || !batchOk || b + k > data.length) {
    throw new FreightError(`its indices ${formatShape(indices)} do not index its data ${formatShape(data)} with batch_dims ${b}`);
  }
  return k;
}

export const gatherNd: OpDef<GatherNdAttrs> = {
  type: 'GatherND',
  resolve: (ctx) => ({ attrs: { batchDims: ctx.int('batch_dims', 0) } }),
  infer({ batchDims: b }, inputs): ValueInfo[] {
    const data = need(inputs, 0, 'data');
    const indices = need(inputs, 1, 'indices');
    checkIndexDtype(indices, 'indices');
    const k = tupleLength(data.shape, indices.shape, b);
    return [{ dtype: data.dtype, shape: [...indices.shape.slice(0, -1), ...data.shape.slice(b + k)] }];
  },
  reference({ batchDims: b }, [data, indices], [out]): Tensor[] {
    const x = data!;
    const q = indices!.shape.length;
    const k = indices!.shape[q - 1];
    const ids = toNumbers(indices!);
    const inner = sizeOf(x.shape.slice(b + k));
    return [pick(x, out.shape, (idx) => {
      const flat = Math.floor(flatIndex(out.shape, idx) / inner);
      const rest = idx.slice(q - 1);
      const tuple = Array.from({ length: k }, (_, j) => checkedIndex(ids[flat * k + j], x.shape[b + j], 'index'));
      return flatIndex(x.shape, [...idx.slice(0, b), ...tuple, ...rest]);
    })];
  },
  lower(ctx, { batchDims: b }) {
    const x = ctx.input(0);
    const indices = ctx.input(1);
    const out = ctx.output(0);
    const q = indices.shape.length;
    const k = indices.shape[q - 1];
    const dims = dimsOf(out.shape);
    const vars = varsOf(dims);
    const lead = vars.slice(0, q - 1);
    const tuple: Expr[] = Array.from({ length: k }, (_, j) => fromEnd(read(1 + j), x.shape[b + j]));
    ctx.map({
      dims,
      reads: [
        { buffer: x.name, index: [...vars.slice(0, b), ...tuple, ...vars.slice(q - 1)] },
        ...tuple.map((_, j) => ({ buffer: indices.name, index: [...lead, c(j)] })),
      ],
      body: read(0),
      write: { buffer: out.name, index: vars },
    });
  },
};
