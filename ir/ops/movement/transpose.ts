// Transpose: output axis i is input axis perm[i] (default: the axes reversed). The lowering
// iterates the output and reads the input with its index permuted, an affine access.

import { FreightError } from '../../errors.js';
import type { Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, varsOf } from '../util.js';
import { need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface TransposeAttrs {
  /** null: reverse the axes. */
  readonly perm: readonly number[] | null;
}

function permOf(attrs: TransposeAttrs, rank: number): readonly number[] {
  const perm = attrs.perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const valid = perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!valid) throw new FreightError(`perm [${perm.join(',')}] is not a permutation of the ${rank} axes of its input`);
  return perm;
}

export const transpose: OpDef<TransposeAttrs> = {
  type: 'Transpose',
  resolve: (ctx) => ({ attrs: { perm: ctx.attr('perm') ? ctx.ints('perm') : null } }),
  infer(attrs, inputs): ValueInfo[] {
    const x = need(inputs, 0, 'data');
    return [{ dtype: x.dtype, shape: permOf(attrs, x.shape.length).map((p) => x.shape[p]) }];
  },
  reference(attrs, [x], [out]): Tensor[] {
    const perm = permOf(attrs, x!.shape.length);
    return [pick(x!, out.shape, (idx) => {
      const src = new Array<number>(idx.length);
      perm.forEach((p, i) => { src[p] = idx[i]; });
      return flatIndex(x!.shape, src);
    })];
  },
  lower(ctx, attrs) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const perm = permOf(attrs, x.shape.length);
    const dims = dimsOf(out.shape);
    const index = varsOf(dims);
    const src = new Array<Expr>(perm.length);
    perm.forEach((p, i) => { src[p] = index[i]; });
    ctx.map({ dims, reads: [{ buffer: x.name, index: src }], body: { k: 'read', m: 0 }, write: { buffer: out.name, index } });
  },
};
