// Slice with constant starts, ends, axes and steps, normalized at resolve time to a start, a
// step and a length per input axis (negative positions count from the end, out-of-range ones
// clamp, INT64_MAX/INT64_MIN mean "to the end"). The read is affine: start + step·i.

import { FreightError } from '../../errors.js';
import { add, c, mul, read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { dimsOf, normalizeAxes, requireInput, varsOf } from '../util.js';
import { intList, optionalIntList } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface SliceAttrs {
  /** Per input axis: first element read, distance between reads, number of reads. */
  readonly starts: readonly number[];
  readonly steps: readonly number[];
  readonly sizes: readonly number[];
}

function resolveSlice(ctx: ResolveContext): { attrs: SliceAttrs; consumed: number[] } {
  const shape = requireInput(ctx, 0, 'data').shape;
  const rank = shape.length;
  const begin = intList(ctx.requireConstant(1, 'starts'), 'starts');
  const end = intList(ctx.requireConstant(2, 'ends'), 'ends');
  const axes = optionalIntList(ctx, 3, 'axes') ?? begin.map((_, i) => i);
  const step = optionalIntList(ctx, 4, 'steps') ?? begin.map(() => 1);
  if (end.length !== begin.length || axes.length !== begin.length || step.length !== begin.length) {
    throw new FreightError(`its starts, ends, axes and steps have different lengths (${begin.length}, ${end.length}, ${axes.length}, ${step.length})`);
  }
  const starts = new Array<number>(rank).fill(0);
  const steps = new Array<number>(rank).fill(1);
  const sizes = [...shape];
  normalizeAxes(axes, rank).forEach((a, i) => {
    const d = shape[a];
    const s = step[i];
    if (s === 0) throw new FreightError(`its step for axis ${a} is 0`);
    const from = begin[i] < 0 ? begin[i] + d : begin[i];
    const to = end[i] < 0 ? end[i] + d : end[i];
    // Forward slices clamp to [0, d]; backward ones to [0, d-1] for the start and [-1, d-1] for the end.
    const first = s > 0 ? clamp(from, 0, d) : clamp(from, 0, d - 1);
    const last = s > 0 ? clamp(to, 0, d) : clamp(to, -1, d - 1);
    starts[a] = first;
    steps[a] = s;
    sizes[a] = Math.max(0, Math.ceil((last - first) / s));
  });
  return { attrs: { starts, steps, sizes }, consumed: [1, 2, 3, 4] };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

export const slice: OpDef<SliceAttrs> = {
  type: 'Slice',
  resolve: resolveSlice,
  infer({ sizes }, [x]): ValueInfo[] {
    if (!x || x.shape.length !== sizes.length) throw new FreightError('its data input changed rank after resolution');
    return [{ dtype: x.dtype, shape: [...sizes] }];
  },
  reference({ starts, steps }, [x], [out]): Tensor[] {
    return [pick(x!, out.shape, (idx) => flatIndex(x!.shape, idx.map((i, a) => starts[a] + steps[a] * i)))];
  },
  lower(ctx, { starts, steps }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const dims = dimsOf(out.shape);
    const index = varsOf(dims);
    const from = index.map((e, a) => add(c(starts[a]), mul(e, c(steps[a]))));
    ctx.map({ dims, reads: [{ buffer: x.name, index: from }], body: read(0), write: { buffer: out.name, index } });
  },
};
