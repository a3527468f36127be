// Softmax and LogSoftmax (opset-13+ form: over one axis, default -1), computed stably in three
// maps: the maximum along the axis, the sum of exp(x - max), then each element normalized.

import { bin, read, un, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, sizeOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { normalizeAxis, requireDtype, requireInput } from '../util.js';

import { reductionGroups } from './reduce-groups.js';
import { reducedShape, reductionSpace } from './reduction-space.js';

export interface SoftmaxAttrs {
  readonly axis: number;
}

function softmax(type: 'Softmax' | 'LogSoftmax'): OpDef<SoftmaxAttrs> {
  const log = type === 'LogSoftmax';
  return {
    type,
    resolve(ctx) {
      const x = requireInput(ctx, 0, 'input');
      return { attrs: { axis: normalizeAxis(ctx.int('axis', -1), x.shape.length) } };
    },
    infer(_attrs, [x]): ValueInfo[] {
      requireDtype(x!, ['float32'], 'input');
      return [{ dtype: x!.dtype, shape: x!.shape }];
    },
    reference(attrs, [x], [out]): Tensor[] {
      const xs = toNumbers(x!);
      const ys = new Float64Array(sizeOf(out.shape));
      for (const g of reductionGroups(x!.shape, [attrs.axis])) {
        let m = -Infinity;
        for (const i of g) m = Math.max(m, xs[i]);
        let s = 0;
        for (const i of g) s += Math.exp(xs[i] - m);
        for (const i of g) ys[i] = log ? xs[i] - m - Math.log(s) : Math.exp(xs[i] - m) / s;
      }
      return [fromNumbers(out.dtype, out.shape, ys)];
    },
    lower(ctx, attrs) {
      const x = ctx.input(0);
      const out = ctx.output(0);
      const space = reductionSpace(x.shape, [attrs.axis]);
      const statShape = reducedShape(x.shape, [attrs.axis], true);
      const peak = ctx.transient('float32', statShape, 'max');
      const total = ctx.transient('float32', statShape, 'sum');
      const xRead = { buffer: x.name, index: space.full };
      const shifted = (xm: Expr, mm: Expr): Expr => bin('sub', xm, mm);
      ctx.map({
        dims: space.dims,
        reads: [xRead],
        body: read(0),
        write: { buffer: peak.name, index: space.kept, wcr: 'max' },
      });
      ctx.map({
        dims: space.dims,
        reads: [xRead, { buffer: peak.name, index: space.kept }],
        body: un('exp', shifted(read(0), read(1))),
        write: { buffer: total.name, index: space.kept, wcr: 'sum' },
      });
      ctx.map({
        dims: space.elementwise,
        reads: [xRead, { buffer: peak.name, index: space.kept }, { buffer: total.name, index: space.kept }],
        body: log
          ? bin('sub', shifted(read(0), read(1)), un('log', read(2)))
          : bin('div', un('exp', shifted(read(0), read(1))), read(2)),
        write: { buffer: out.name, index: space.full },
      });
    },
  };
}

export const softmaxes: readonly OpDef[] = [softmax('Softmax'), softmax('LogSoftmax')];
