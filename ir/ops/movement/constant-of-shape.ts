// ConstantOfShape: a tensor of the constant shape input filled with the `value` attribute's
// single element (default float32 0). A map with no reads.

import { FreightError } from '../../errors.js';
import { c } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { elementAt, fromNumbers, sizeOf, type DType, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, varsOf } from '../util.js';
import { intList } from './inputs.js';

interface ConstantOfShapeAttrs {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly value: number;
}

export const constantOfShape: OpDef<ConstantOfShapeAttrs> = {
  type: 'ConstantOfShape',
  resolve(ctx) {
    const shape = intList(ctx.requireConstant(0, 'shape'), 'shape');
    if (shape.some((d) => d < 0)) throw new FreightError(`its shape [${shape.join(',')}] has a negative entry`);
    const a = ctx.attr('value');
    if (a && a.kind !== 'tensor') throw new FreightError(`attribute 'value' is of kind ${a.kind}, expected tensor`);
    const t = a?.kind === 'tensor' ? a.value : undefined;
    if (t && t.data.length !== 1) throw new FreightError(`its value must hold one element, not ${t.data.length}`);
    return { attrs: { shape, dtype: t?.dtype ?? 'float32', value: t ? elementAt(t, 0) : 0 }, consumed: [0] };
  },
  infer: ({ shape, dtype }): ValueInfo[] => [{ dtype, shape: [...shape] }],
  reference: ({ shape, dtype, value }): Tensor[] => [fromNumbers(dtype, shape, new Float64Array(sizeOf(shape)).fill(value))],
  lower(ctx, { value }) {
    const out = ctx.output(0);
    const dims = dimsOf(out.shape);
    ctx.map({ dims, reads: [], body: c(value), write: { buffer: out.name, index: varsOf(dims) } });
  },
};
