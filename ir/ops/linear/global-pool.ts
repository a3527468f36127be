// GlobalAveragePool, GlobalMaxPool and GlobalLpPool: one reduction map per operator whose
// reduce dims are all the spatial axes; the output keeps them as size-1 axes.

import { FreightError } from '../../errors.js';
import { acc, bin, c, div, mul, read, un, v, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Wcr } from '../../program.js';
import { fromNumbers, sizeOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { requireImage } from './checks.js';
import { spatialNames } from './window.js';
import { requireDtype, requireInput } from '../util.js';

type GlobalType = 'GlobalAveragePool' | 'GlobalMaxPool' | 'GlobalLpPool';

export interface GlobalPoolAttrs {
  /** GlobalLpPool's exponent. */
  readonly p: number;
}

interface Kind {
  readonly wcr: Wcr;
  readonly body: (x: Expr, p: number) => Expr;
  readonly epilogue?: (count: number, p: number) => Expr;
  readonly fold: (values: readonly number[], p: number) => number;
}

const KINDS: Record<GlobalType, Kind> = {
  GlobalAveragePool: {
    wcr: 'sum',
    body: (x) => x,
    epilogue: (count) => div(acc, c(count)),
    fold: (xs) => xs.reduce((s, x) => s + x, 0) / xs.length,
  },
  GlobalMaxPool: {
    wcr: 'max',
    body: (x) => x,
    fold: (xs) => xs.reduce((m, x) => (x > m ? x : m), -Infinity),
  },
  GlobalLpPool: {
    wcr: 'sum',
    body: (x, p) => (p === 2 ? mul(x, x) : bin('pow', un('abs', x), c(p))),
    epilogue: (_count, p) => (p === 2 ? un('sqrt', acc) : bin('pow', acc, c(1 / p))),
    fold: (xs, p) => xs.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p),
  },
};

function globalPool(type: GlobalType): OpDef<GlobalPoolAttrs> {
  const kind = KINDS[type];
  return {
    type,
    resolve(ctx) {
      const x = requireInput(ctx, 0, 'X');
      requireImage(x, 'X');
      requireDtype(x, ['float32'], 'X');
      if (x.shape.slice(2).some((d) => d === 0)) throw new FreightError(`X has an empty spatial axis (shape [${x.shape.join(',')}]); there is nothing to pool`);
      const p = type === 'GlobalLpPool' ? ctx.int('p', 2) : 2;
      if (!Number.isInteger(p) || p < 1) throw new FreightError(`p ${p} must be a positive integer`);
      return { attrs: { p } };
    },
    infer: (_attrs, [x]): ValueInfo[] => [{ dtype: 'float32', shape: [x!.shape[0], x!.shape[1], ...x!.shape.slice(2).map(() => 1)] }],
    reference({ p }, [x], [out]): Tensor[] {
      const xs = toNumbers(x!);
      const plane = sizeOf(x!.shape.slice(2));
      const y = Array.from({ length: sizeOf(out.shape) }, (_, i) => kind.fold(Array.from(xs.subarray(i * plane, (i + 1) * plane)), p));
      return [fromNumbers('float32', out.shape, y)];
    },
    lower(ctx, { p }) {
      const x = ctx.input(0);
      const out = ctx.output(0);
      const [batch, channels, ...sizes] = x.shape;
      const names = spatialNames(sizes.length).map((s) => `i${s}`);
      const epilogue = kind.epilogue?.(sizeOf(sizes), p);
      ctx.map({
        dims: [
          { name: 'n', extent: batch },
          { name: 'c', extent: channels },
          ...names.map((name, a) => ({ name, extent: sizes[a], reduce: true })),
        ],
        reads: [{ buffer: x.name, index: [v('n'), v('c'), ...names.map(v)] }],
        body: kind.body(read(0), p),
        write: { buffer: out.name, index: [v('n'), v('c'), ...sizes.map(() => c(0))], wcr: kind.wcr },
        ...(epilogue ? { epilogue } : {}),
      });
    },
  };
}

export const globalPoolOps: readonly OpDef[] = (['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'] as const).map(globalPool);
