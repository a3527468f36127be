// Reshape-like operators share everything but their output shape: the output holds the
// input's elements in row-major order, so the reference copies the storage and the lowering
// is an alias (no data moves).

import type { ValueInfo } from '../../graph.js';
import type { Shape, Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext, Resolved } from '../op.js';
import { need } from './inputs.js';

export function viewOp<A>(
  type: string,
  resolve: (ctx: ResolveContext) => Resolved<A>,
  shapeOf: (attrs: A, input: Shape) => number[],
): OpDef<A> {
  return {
    type,
    resolve,
    infer(attrs, inputs): ValueInfo[] {
      const x = need(inputs, 0, 'data');
      return [{ dtype: x.dtype, shape: shapeOf(attrs, x.shape) }];
    },
    reference(_attrs, [x], [out]): Tensor[] {
      return [{ dtype: x!.dtype, shape: [...out.shape], data: x!.data.slice() }];
    },
    lower(ctx) {
      ctx.alias(ctx.output(0), ctx.input(0));
    },
  };
}
