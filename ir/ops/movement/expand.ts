// Expand: broadcast the input to the constant shape input (numpy rules both ways, so the shape
// may have lower rank or 1s where the input is larger). A broadcast read of the input.

import { FreightError } from '../../errors.js';
import { read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { broadcastOffset, broadcastShapes, elementwiseMap } from '../util.js';
import { intList, need } from './inputs.js';
import { pick } from './pick.js';

interface ExpandAttrs { readonly shape: readonly number[] }

export const expand: OpDef<ExpandAttrs> = {
  type: 'Expand',
  resolve: (ctx) => ({ attrs: { shape: intList(ctx.requireConstant(1, 'shape'), 'shape') }, consumed: [1] }),
  infer({ shape }, inputs): ValueInfo[] {
    const x = need(inputs, 0, 'input');
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new FreightError(`its shape [${shape.join(',')}] has a negative entry`);
    return [{ dtype: x.dtype, shape: broadcastShapes([x.shape, shape]) }];
  },
  reference(_attrs, [x], [out]): Tensor[] {
    return [pick(x!, out.shape, (idx) => broadcastOffset(x!.shape, idx))];
  },
  lower(ctx) {
    ctx.map(elementwiseMap(ctx.output(0), [ctx.input(0)], read(0)));
  },
};
