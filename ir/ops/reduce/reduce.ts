// The Reduce* operators (opset-18+ form: axes is the optional input 1): one reduction map whose
// reduce dims are the reduced axes, with the kind's wcr and epilogue; ReduceLogSumExp takes the
// maximum in a first map so that exp never overflows.

import { acc, add, bin, c, max, min, read, un, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, toNumbers, type Tensor } from '../../tensor.js';
import type { LowerContext, OpDef } from '../op.js';
import { normalizeAxes, requireDtype, requireInput } from '../util.js';
import { axesOf } from './checks.js';
import { reductionGroups } from './reduce-groups.js';
import { integerRange, REDUCE_KINDS, type ReduceKind, type ReduceType } from './reduce-kinds.js';
import { reducedShape, reductionSpace } from './reduction-space.js';

export interface ReduceAttrs {
  /** Normalized, ascending; empty means reduce nothing (noop_with_empty_axes with no axes). */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

function reduce(type: ReduceType): OpDef<ReduceAttrs> {
  const kind = REDUCE_KINDS[type];
  return {
    type,
    resolve(ctx) {
      const rank = requireInput(ctx, 0, 'data').shape.length;
      const given = ctx.input(1) !== undefined;
      const listed = given ? axesOf(ctx.requireConstant(1, 'axes')) : [];
      const noop = ctx.int('noop_with_empty_axes', 0) !== 0;
      const all = Array.from({ length: rank }, (_, i) => i);
      const axes = listed.length > 0 ? normalizeAxes(listed, rank) : noop ? [] : all;
      return {
        attrs: { axes: [...axes].sort((a, b) => a - b), keepdims: ctx.int('keepdims', 1) !== 0 },
        consumed: given ? [1] : [],
      };
    },
    infer(attrs, [x]): ValueInfo[] {
      requireDtype(x!, kind.dtypes, 'data');
      return [{ dtype: x!.dtype, shape: reducedShape(x!.shape, attrs.axes, attrs.keepdims) }];
    },
    reference(attrs, [x], [out]): Tensor[] {
      const xs = toNumbers(x!);
      const range = integerRange(out.dtype);
      const results = reductionGroups(x!.shape, attrs.axes).map((g) => {
        const r = kind.fold(g.map((i) => xs[i]));
        return range ? Math.min(Math.max(r, range[0]), range[1]) : r;
      });
      return [fromNumbers(out.dtype, out.shape, results)];
    },
    lower(ctx, attrs) {
      if (type === 'ReduceLogSumExp') lowerLogSumExp(ctx, attrs);
      else lowerReduce(ctx, attrs, kind);
    },
  };
}

function lowerReduce(ctx: LowerContext, attrs: ReduceAttrs, kind: ReduceKind): void {
  const x = ctx.input(0);
  const out = ctx.output(0);
  const space = reductionSpace(x.shape, attrs.axes);
  let epilogue = kind.epilogue?.(acc, space.count);
  const range = integerRange(out.dtype);
  if (space.count === 0 && range) {
    // An empty max/min leaves ∓infinity in acc, which integer storage cannot hold.
    epilogue = max(min(epilogue ?? acc, c(range[1])), c(range[0]));
  }
  ctx.map({
    dims: space.dims,
    reads: [{ buffer: x.name, index: space.full }],
    body: kind.body(read(0)),
    write: { buffer: out.name, index: attrs.keepdims ? space.kept : space.dropped, wcr: kind.wcr },
    ...(epilogue ? { epilogue } : {}),
  });
}

/** log Σ exp(x) = log Σ exp(x - m) + m with m the maximum: a max map, then a sum map. */
function lowerLogSumExp(ctx: LowerContext, attrs: ReduceAttrs): void {
  const x = ctx.input(0);
  const out = ctx.output(0);
  const space = reductionSpace(x.shape, attrs.axes);
  const peak = ctx.transient(x.dtype, reducedShape(x.shape, attrs.axes, true), 'max');
  ctx.map({
    dims: space.dims,
    reads: [{ buffer: x.name, index: space.full }],
    body: read(0),
    write: { buffer: peak.name, index: space.kept, wcr: 'max' },
  });
  const shifted: Expr = un('exp', bin('sub', read(0), read(1)));
  ctx.map({
    dims: space.dims,
    reads: [{ buffer: x.name, index: space.full }, { buffer: peak.name, index: space.kept }],
    body: shifted,
    write: { buffer: out.name, index: attrs.keepdims ? space.kept : space.dropped, wcr: 'sum' },
    epilogue: add(un('log', acc), read(1)),
  });
}

export const reductions: readonly OpDef[] = ([
  'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd',
  'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSum', 'ReduceLogSumExp',
] as const).map(reduce);
