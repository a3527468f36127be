// LayerNormalization: normalized over the axes from `axis` to the last, then scaled (and shifted)
// by Scale (and B), which broadcast to X (the spec multiplies with numpy broadcasting). Mean and InvStdDev (optional outputs 1 and 2) have
// X's shape with the normalized axes as 1; when not requested they are transients.

import { FreightError } from '../../errors.js';
import { add, bin, mul, read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, fromNumbers, sizeOf, toNumbers, type Shape, type Tensor } from '../../tensor.js';
import type { BufferRef, LowerContext, OpDef } from '../op.js';
import { broadcastIndex, broadcastOffset, normalizeAxis, requireDtype, requireInput, unravel } from '../util.js';
import { epsilonOf, requireStatistics } from './checks.js';
import { emitMoments } from './moments.js';
import { groupMoments, reductionGroups } from './reduce-groups.js';
import { reducedShape, reductionSpace } from './reduction-space.js';

export interface LayerNormAttrs {
  /** Normalized (non-negative). */
  readonly axis: number;
  readonly epsilon: number;
}

const normalizedAxes = (axis: number, rank: number): number[] => Array.from({ length: rank - axis }, (_, i) => axis + i);

/** Scale and B must broadcast to X without changing Y's shape. */
function checkBroadcastable(param: ValueInfo | undefined, x: Shape, what: string): void {
  if (!param) return;
  const offset = x.length - param.shape.length;
  if (offset < 0 || param.shape.some((d, i) => d !== 1 && d !== x[offset + i])) {
    throw new FreightError(`its ${what} has shape ${formatShape(param.shape)}, which does not broadcast to X's shape ${formatShape(x)}`);
  }
}

export const layerNormalization: OpDef<LayerNormAttrs> = {
  type: 'LayerNormalization',
  resolve(ctx) {
    const x = requireInput(ctx, 0, 'X');
    const axis = normalizeAxis(ctx.int('axis', -1), x.shape.length);
    requireStatistics(sizeOf(x.shape.slice(axis)), `the normalized axes ${axis}.. of X ${formatShape(x.shape)}`);
    checkBroadcastable(requireInput(ctx, 1, 'Scale'), x.shape, 'Scale');
    checkBroadcastable(ctx.input(2), x.shape, 'B');
    return { attrs: { axis, epsilon: epsilonOf(ctx, 1e-5) } };
  },
  infer(attrs, [x, scale, bias]): ValueInfo[] {
    requireDtype(x!, ['float32'], 'X');
    requireDtype(scale!, ['float32'], 'Scale');
    if (bias) requireDtype(bias, ['float32'], 'B');
    const stats: ValueInfo = { dtype: 'float32', shape: reducedShape(x!.shape, normalizedAxes(attrs.axis, x!.shape.length), true) };
    return [{ dtype: 'float32', shape: x!.shape }, stats, stats];
  },
  reference(attrs, [x, scale, bias]): Tensor[] {
    const xs = toNumbers(x!);
    const s = toNumbers(scale!);
    const b = bias ? toNumbers(bias) : undefined;
    const axes = normalizedAxes(attrs.axis, x!.shape.length);
    const groups = reductionGroups(x!.shape, axes);
    const { mean, invStd } = groupMoments(xs, groups, attrs.epsilon);
    const ys = new Float64Array(sizeOf(x!.shape));
    groups.forEach((g, k) => {
      for (const i of g) {
        const idx = unravel(i, x!.shape);
        const shift = b ? b[broadcastOffset(bias!.shape, idx)] : 0;
        ys[i] = (xs[i] - mean[k]) * invStd[k] * s[broadcastOffset(scale!.shape, idx)] + shift;
      }
    });
    // Shapes from X, not from the output infos: the optional outputs may not be requested.
    const statShape = reducedShape(x!.shape, axes, true);
    return [
      fromNumbers('float32', x!.shape, ys),
      fromNumbers('float32', statShape, mean),
      fromNumbers('float32', statShape, invStd),
    ];
  },
  lower(ctx, attrs) {
    const x = ctx.input(0);
    const axes = normalizedAxes(attrs.axis, x.shape.length);
    const space = reductionSpace(x.shape, axes);
    const statShape = reducedShape(x.shape, axes, true);
    const mean = statsBuffer(ctx, 1, statShape, 'mean');
    const invStd = statsBuffer(ctx, 2, statShape, 'inv_std');
    emitMoments(ctx, x, space, space.full, attrs.epsilon, { mean, invStd });
    const scale = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const normalizedValue = mul(mul(bin('sub', read(0), read(1)), read(2)), read(3));
    ctx.map({
      dims: space.elementwise,
      reads: [
        { buffer: x.name, index: space.full },
        { buffer: mean.name, index: space.kept },
        { buffer: invStd.name, index: space.kept },
        { buffer: scale.name, index: broadcastIndex(scale.shape, space.full) },
        ...(bias ? [{ buffer: bias.name, index: broadcastIndex(bias.shape, space.full) }] : []),
      ],
      body: bias ? add(normalizedValue, read(4)) : normalizedValue,
      write: { buffer: ctx.output(0).name, index: space.full },
    });
  },
};

/** Output `i` when the node requests it, else a transient of the same shape. */
function statsBuffer(ctx: LowerContext, i: number, shape: Shape, hint: string): BufferRef {
  return ctx.node.outputs[i] ? ctx.output(i) : ctx.transient('float32', shape, hint);
}
