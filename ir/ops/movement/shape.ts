// Shape (opset 15: start/end) and Size. Their values follow from the input's static shape, so
// they always fold (`foldFromShapes`); the lowering, for completeness, writes each element as
// a constant.

import { c } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, sizeOf, type Shape, type Tensor } from '../../tensor.js';
import type { LowerContext, OpDef } from '../op.js';
import { need } from './inputs.js';

interface ShapeAttrs {
  readonly start: number;
  /** null: to the end. */
  readonly end: number | null;
}

function shapeSlice({ start, end }: ShapeAttrs, shape: Shape): number[] {
  const r = shape.length;
  const at = (p: number): number => Math.min(Math.max(p < 0 ? p + r : p, 0), r);
  return shape.slice(at(start), end === null ? r : at(end));
}

/** One zero-dimensional map per element, writing it. */
function writeConstants(ctx: LowerContext, values: readonly number[]): void {
  const out = ctx.output(0);
  values.forEach((x, i) => {
    ctx.map({ dims: [], reads: [], body: c(x), write: { buffer: out.name, index: out.shape.length === 0 ? [] : [c(i)] } });
  });
}

export const shapeOp: OpDef<ShapeAttrs> = {
  type: 'Shape',
  resolve: (ctx) => ({ attrs: { start: ctx.int('start', 0), end: ctx.attr('end') ? ctx.int('end') : null } }),
  infer(attrs, inputs): ValueInfo[] {
    return [{ dtype: 'int64', shape: [shapeSlice(attrs, need(inputs, 0, 'data').shape).length] }];
  },
  foldFromShapes(attrs, inputs): Tensor[] {
    const dims = shapeSlice(attrs, need(inputs, 0, 'data').shape);
    return [fromNumbers('int64', [dims.length], dims)];
  },
  reference(attrs, [x]): Tensor[] {
    const dims = shapeSlice(attrs, x!.shape);
    return [fromNumbers('int64', [dims.length], dims)];
  },
  lower(ctx, attrs) {
    writeConstants(ctx, shapeSlice(attrs, ctx.input(0).shape));
  },
};

export const size: OpDef<Record<string, never>> = {
  type: 'Size',
  resolve: () => ({ attrs: {} }),
  infer(_attrs, inputs): ValueInfo[] {
    need(inputs, 0, 'data');
    return [{ dtype: 'int64', shape: [] }];
  },
  foldFromShapes(_attrs, inputs): Tensor[] {
    return [fromNumbers('int64', [], [sizeOf(need(inputs, 0, 'data').shape)])];
  },
  reference(_attrs, [x]): Tensor[] {
    return [fromNumbers('int64', [], [x!.data.length])];
  },
  lower(ctx) {
    writeConstants(ctx, [sizeOf(ctx.input(0).shape)]);
  },
};
