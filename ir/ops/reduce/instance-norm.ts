// InstanceNormalization: each (n, c) slice normalized over its spatial dims with its own mean and
// variance, then scaled and shifted per channel. Two statistics maps into [N, C, 1, …]
// transients, then one elementwise map.

import { add, bin, mul, read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, fromNumbers, sizeOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { epsilonOf, requireRank, requireShape, requireStatistics } from './checks.js';
import { emitMoments } from './moments.js';
import { groupMoments, reductionGroups } from './reduce-groups.js';
import { reducedShape, reductionSpace } from './reduction-space.js';
import { requireDtype, requireInput } from '../util.js';

export interface InstanceNormAttrs {
  readonly epsilon: number;
}

const spatialAxes = (rank: number): number[] => Array.from({ length: rank - 2 }, (_, i) => i + 2);

export const instanceNormalization: OpDef<InstanceNormAttrs> = {
  type: 'InstanceNormalization',
  resolve(ctx) {
    const x = requireInput(ctx, 0, 'input');
    requireRank(x, 3, 'input');
    requireStatistics(sizeOf(x.shape.slice(2)), `the spatial dims of input ${formatShape(x.shape)}`);
    requireShape(requireInput(ctx, 1, 'scale'), [x.shape[1]], 'scale');
    requireShape(requireInput(ctx, 2, 'B'), [x.shape[1]], 'B');
    return { attrs: { epsilon: epsilonOf(ctx, 1e-5) } };
  },
  infer(_attrs, [x, scale, bias]): ValueInfo[] {
    requireDtype(x!, ['float32'], 'input');
    requireDtype(scale!, ['float32'], 'scale');
    requireDtype(bias!, ['float32'], 'B');
    return [{ dtype: 'float32', shape: x!.shape }];
  },
  reference(attrs, [x, scale, bias], [out]): Tensor[] {
    const xs = toNumbers(x!);
    const s = toNumbers(scale!);
    const b = toNumbers(bias!);
    const groups = reductionGroups(x!.shape, spatialAxes(x!.shape.length));
    const { mean, invStd } = groupMoments(xs, groups, attrs.epsilon);
    const channels = x!.shape[1];
    const ys = new Float64Array(sizeOf(out.shape));
    // Group k is the slice (n, c) = (floor(k / C), k % C).
    groups.forEach((g, k) => {
      for (const i of g) ys[i] = (xs[i] - mean[k]) * invStd[k] * s[k % channels] + b[k % channels];
    });
    return [fromNumbers('float32', out.shape, ys)];
  },
  lower(ctx, attrs) {
    const x = ctx.input(0);
    const axes = spatialAxes(x.shape.length);
    const space = reductionSpace(x.shape, axes);
    const statShape = reducedShape(x.shape, axes, true);
    const mean = ctx.transient('float32', statShape, 'mean');
    const invStd = ctx.transient('float32', statShape, 'inv_std');
    emitMoments(ctx, x, space, space.full, attrs.epsilon, { mean, invStd });
    const channel = [space.full[1]];
    ctx.map({
      dims: space.elementwise,
      reads: [
        { buffer: x.name, index: space.full },
        { buffer: mean.name, index: space.kept },
        { buffer: invStd.name, index: space.kept },
        { buffer: ctx.input(1).name, index: channel },
        { buffer: ctx.input(2).name, index: channel },
      ],
      body: add(mul(mul(bin('sub', read(0), read(1)), read(2)), read(3)), read(4)),
      write: { buffer: ctx.output(0).name, index: space.full },
    });
  },
};
