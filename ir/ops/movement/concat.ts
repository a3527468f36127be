// Concat along one axis (negative allowed). Lowered piecewise: one map per non-empty input,
// copying it into the output at its offset along the axis.

import { FreightError } from '../../errors.js';
import { add, c, read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, sizeOf, zeros, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, normalizeAxis, varsOf } from '../util.js';
import { writable } from './pick.js';

interface ConcatAttrs { readonly axis: number }

function concatShape(axis: number, inputs: readonly (ValueInfo | undefined)[]): { axis: number; shape: number[] } {
  if (inputs.length === 0 || inputs.some((x) => !x)) throw new FreightError('it needs at least one input, and none may be omitted');
  const xs = inputs as readonly ValueInfo[];
  const first = xs[0];
  if (first.shape.length === 0) throw new FreightError('it cannot concatenate scalars (rank 0)');
  const a = normalizeAxis(axis, first.shape.length);
  const shape = [...first.shape];
  shape[a] = 0;
  for (const x of xs) {
    if (x.dtype !== first.dtype) throw new FreightError(`its inputs have different dtypes (${first.dtype} and ${x.dtype})`);
    const fits = x.shape.length === first.shape.length && x.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!fits) {
      throw new FreightError(`its inputs ${xs.map((y) => formatShape(y.shape)).join(', ')} differ outside axis ${a}`);
    }
    shape[a] += x.shape[a];
  }
  return { axis: a, shape };
}

export const concat: OpDef<ConcatAttrs> = {
  type: 'Concat',
  resolve: (ctx) => ({ attrs: { axis: ctx.int('axis') } }),
  infer(attrs, inputs): ValueInfo[] {
    return [{ dtype: inputs[0]?.dtype ?? 'float32', shape: concatShape(attrs.axis, inputs).shape }];
  },
  reference(attrs, inputs, [out]): Tensor[] {
    const xs = inputs as readonly Tensor[];
    const { axis } = concatShape(attrs.axis, xs);
    const result = zeros(out.dtype, out.shape);
    const dst = writable(result);
    // Each input is `outer` blocks of len·inner contiguous elements, placed side by side.
    const outer = sizeOf(out.shape.slice(0, axis));
    const inner = sizeOf(out.shape.slice(axis + 1));
    let offset = 0;
    for (const x of xs) {
      const block = x.shape[axis] * inner;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < block; j++) dst[(o * out.shape[axis] + offset) * inner + j] = x.data[o * block + j];
      }
      offset += x.shape[axis];
    }
    return [result];
  },
  lower(ctx, attrs) {
    const out = ctx.output(0);
    const xs = ctx.node.inputs.map((_, i) => ctx.input(i));
    const { axis } = concatShape(attrs.axis, xs);
    let offset = 0;
    for (const x of xs) {
      if (sizeOf(x.shape) > 0) {
        const dims = dimsOf(x.shape);
        const index = varsOf(dims);
        const at = index.map((e, i) => (i === axis ? add(e, c(offset)) : e));
        ctx.map({ dims, reads: [{ buffer: x.name, index }], body: read(0), write: { buffer: out.name, index: at } });
      }
      offset += x.shape[axis];
    }
  },
};
