// LpNormalization: x divided by its L1 or L2 norm along one axis (default -1). Two maps: the norm
// into a transient, then the division; a zero norm gives zeros, as ONNX Runtime does.

import { FreightError } from '../../errors.js';
import { acc, bin, c, mul, read, sel, un } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, sizeOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { normalizeAxis, requireDtype, requireInput } from '../util.js';

import { reductionGroups } from './reduce-groups.js';
import { reducedShape, reductionSpace } from './reduction-space.js';

export interface LpNormAttrs {
  readonly axis: number;
  readonly p: 1 | 2;
}

export const lpNormalization: OpDef<LpNormAttrs> = {
  type: 'LpNormalization',
  resolve(ctx) {
    const x = requireInput(ctx, 0, 'input');
    const axis = normalizeAxis(ctx.int('axis', -1), x.shape.length);
    const p = ctx.int('p', 2);
    if (p !== 1 && p !== 2) throw new FreightError(`p ${p} is not supported; LpNormalization takes p 1 or 2`);
    return { attrs: { axis, p } };
  },
  infer(_attrs, [x]): ValueInfo[] {
    requireDtype(x!, ['float32'], 'input');
    return [{ dtype: 'float32', shape: x!.shape }];
  },
  reference(attrs, [x], [out]): Tensor[] {
    const xs = toNumbers(x!);
    const ys = new Float64Array(sizeOf(out.shape));
    for (const g of reductionGroups(x!.shape, [attrs.axis])) {
      let norm = 0;
      for (const i of g) norm += attrs.p === 1 ? Math.abs(xs[i]) : xs[i] * xs[i];
      if (attrs.p === 2) norm = Math.sqrt(norm);
      for (const i of g) ys[i] = norm === 0 ? 0 : xs[i] / norm;
    }
    return [fromNumbers('float32', out.shape, ys)];
  },
  lower(ctx, attrs) {
    const x = ctx.input(0);
    const space = reductionSpace(x.shape, [attrs.axis]);
    const norm = ctx.transient('float32', reducedShape(x.shape, [attrs.axis], true), 'norm');
    const xRead = { buffer: x.name, index: space.full };
    ctx.map({
      dims: space.dims,
      reads: [xRead],
      body: attrs.p === 1 ? un('abs', read(0)) : mul(read(0), read(0)),
      write: { buffer: norm.name, index: space.kept, wcr: 'sum' },
      ...(attrs.p === 2 ? { epilogue: un('sqrt', acc) } : {}),
    });
    ctx.map({
      dims: space.elementwise,
      reads: [xRead, { buffer: norm.name, index: space.kept }],
      body: sel(bin('eq', read(1), c(0)), c(0), bin('div', read(0), read(1))),
      write: { buffer: ctx.output(0).name, index: space.full },
    });
  },
};
