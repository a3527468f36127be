// GroupNormalization (opset 21: scale and bias per channel): the channels split into num_groups
// groups, each (n, group) normalized over its channels and spatial dims. Lowered over the view
// [N, G, C/G, D1, …] of X (the same elements, row-major), where a group is a plain reduction
// over the trailing axes and X is read at channel g·C/G + j, an affine index.

import { FreightError } from '../../errors.js';
import { add, bin, c, mul, read, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, fromNumbers, sizeOf, stridesOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { epsilonOf, requireRank, requireShape, requireStatistics } from './checks.js';
import { emitMoments } from './moments.js';
import { groupMoments, reductionGroups } from './reduce-groups.js';
import { reducedShape, reductionSpace } from './reduction-space.js';
import { requireDtype, requireInput } from '../util.js';

export interface GroupNormAttrs {
  readonly groups: number;
  readonly epsilon: number;
}

/** X's shape [N, C, D…] seen as [N, G, C/G, D…]; its reduced axes are 2 and beyond. */
function groupView(shape: readonly number[], groups: number): { view: number[]; axes: number[] } {
  const view = [shape[0], groups, shape[1] / groups, ...shape.slice(2)];
  return { view, axes: view.map((_, i) => i).slice(2) };
}

export const groupNormalization: OpDef<GroupNormAttrs> = {
  type: 'GroupNormalization',
  resolve(ctx) {
    const x = requireInput(ctx, 0, 'X');
    requireRank(x, 2, 'X');
    const channels = x.shape[1];
    const groups = ctx.int('num_groups');
    if (!(groups >= 1) || channels % groups !== 0) {
      throw new FreightError(`num_groups ${groups} does not divide the ${channels} channels of X`);
    }
    requireStatistics(sizeOf(x.shape.slice(1)) / groups, `the groups of X ${formatShape(x.shape)}`);
    requireShape(requireInput(ctx, 1, 'scale'), [channels], 'scale');
    requireShape(requireInput(ctx, 2, 'bias'), [channels], 'bias');
    return { attrs: { groups, epsilon: epsilonOf(ctx, 1e-5) } };
  },
  infer(_attrs, [x, scale, bias]): ValueInfo[] {
    requireDtype(x!, ['float32'], 'X');
    requireDtype(scale!, ['float32'], 'scale');
    requireDtype(bias!, ['float32'], 'bias');
    return [{ dtype: 'float32', shape: x!.shape }];
  },
  reference(attrs, [x, scale, bias], [out]): Tensor[] {
    const xs = toNumbers(x!);
    const s = toNumbers(scale!);
    const b = toNumbers(bias!);
    // The view has X's row-major order, so its groups list X's own flat offsets.
    const { view, axes } = groupView(x!.shape, attrs.groups);
    const groups = reductionGroups(view, axes);
    const { mean, invStd } = groupMoments(xs, groups, attrs.epsilon);
    const channelStride = stridesOf(x!.shape)[1];
    const channels = x!.shape[1];
    const ys = new Float64Array(sizeOf(out.shape));
    groups.forEach((g, k) => {
      for (const i of g) {
        const ch = Math.floor(i / channelStride) % channels;
        ys[i] = (xs[i] - mean[k]) * invStd[k] * s[ch] + b[ch];
      }
    });
    return [fromNumbers('float32', out.shape, ys)];
  },
  lower(ctx, attrs) {
    const x = ctx.input(0);
    const { view, axes } = groupView(x.shape, attrs.groups);
    const space = reductionSpace(view, axes);
    const [n, g, j, ...spatial] = space.full;
    const channel: Expr = add(mul(g, c(view[2])), j);
    const xIndex = [n, channel, ...spatial];
    const statShape = reducedShape(view, axes, true);
    const mean = ctx.transient('float32', statShape, 'mean');
    const invStd = ctx.transient('float32', statShape, 'inv_std');
    emitMoments(ctx, x, space, xIndex, attrs.epsilon, { mean, invStd });
    ctx.map({
      dims: space.elementwise,
      reads: [
        { buffer: x.name, index: xIndex },
        { buffer: mean.name, index: space.kept },
        { buffer: invStd.name, index: space.kept },
        { buffer: ctx.input(1).name, index: [channel] },
        { buffer: ctx.input(2).name, index: [channel] },
      ],
      body: add(mul(mul(bin('sub', read(0), read(1)), read(2)), read(3)), read(4)),
      write: { buffer: ctx.output(0).name, index: xIndex },
    });
  },
};
