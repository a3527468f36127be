// Tile: output axis i repeats the input repeats[i] times; the read wraps with `mod` on the
// axes that repeat a non-trivial dimension, and stays affine on the others.

import { FreightError } from '../../errors.js';
import { c, mod, read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, varsOf } from '../util.js';
import { intList, need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface TileAttrs { readonly repeats: readonly number[] }

export const tile: OpDef<TileAttrs> = {
  type: 'Tile',
  resolve: (ctx) => ({ attrs: { repeats: intList(ctx.requireConstant(1, 'repeats'), 'repeats') }, consumed: [1] }),
  infer({ repeats }, inputs): ValueInfo[] {
    const x = need(inputs, 0, 'input');
    if (repeats.length !== x.shape.length) {
      throw new FreightError(`its repeats [${repeats.join(',')}] need one entry per axis of its input ${formatShape(x.shape)}`);
    }
    if (repeats.some((r) => !Number.isInteger(r) || r < 0)) throw new FreightError(`its repeats [${repeats.join(',')}] have a negative entry`);
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => d * repeats[i]) }];
  },
  reference(_attrs, [x], [out]): Tensor[] {
    return [pick(x!, out.shape, (idx) => flatIndex(x!.shape, idx.map((i, a) => i % x!.shape[a])))];
  },
  lower(ctx, { repeats }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const dims = dimsOf(out.shape);
    const vars = varsOf(dims);
    const from = vars.map((e, a) => (x.shape[a] === 1 ? c(0) : repeats[a] === 1 ? e : mod(e, c(x.shape[a]))));
    ctx.map({ dims, reads: [{ buffer: x.name, index: from }], body: read(0), write: { buffer: out.name, index: vars } });
  },
};
