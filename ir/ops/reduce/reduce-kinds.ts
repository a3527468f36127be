// What each Reduce* operator computes: the value an element contributes, how contributions
// combine (the map's wcr), the final step (the map's epilogue), and the same thing as a plain
// float64 fold for the reference interpreter.

import { bin, c, mul, un, type Expr } from '../../expr.js';
import type { Wcr } from '../../program.js';
import type { DType } from '../../tensor.js';

export type ReduceType =
  | 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceMin' | 'ReduceProd'
  | 'ReduceL1' | 'ReduceL2' | 'ReduceSumSquare' | 'ReduceLogSum' | 'ReduceLogSumExp';

export interface ReduceKind {
  readonly wcr: Wcr;
  readonly dtypes: readonly DType[];
  /** The contribution of one element `x`. */
  readonly body: (x: Expr) => Expr;
  /** The result from the combined contributions and the number of elements combined. */
  readonly epilogue?: (acc: Expr, count: number) => Expr;
  /** The reference: the result for one group of values, in float64. */
  readonly fold: (xs: readonly number[]) => number;
}

const NUMERIC: readonly DType[] = ['float32', 'int32', 'int64'];
const FLOAT: readonly DType[] = ['float32'];

const total = (xs: readonly number[], f: (x: number) => number = (x) => x): number => {
  let s = 0;
  for (const x of xs) s += f(x);
  return s;
};

export const REDUCE_KINDS: Readonly<Record<ReduceType, ReduceKind>> = {
  ReduceSum: { wcr: 'sum', dtypes: NUMERIC, body: (x) => x, fold: (xs) => total(xs) },
  // ONNX leaves the mean of an empty set undefined; ONNX Runtime yields 0 (the empty sum).
  ReduceMean: {
    wcr: 'sum', dtypes: NUMERIC, body: (x) => x,
    epilogue: (a, n) => (n === 0 ? a : bin('div', a, c(n))),
    fold: (xs) => (xs.length === 0 ? 0 : total(xs) / xs.length),
  },
  ReduceMax: {
    wcr: 'max', dtypes: [...NUMERIC, 'bool'], body: (x) => x,
    fold: (xs) => xs.reduce((m, x) => Math.max(m, x), -Infinity),
  },
  ReduceMin: {
    wcr: 'min', dtypes: [...NUMERIC, 'bool'], body: (x) => x,
    fold: (xs) => xs.reduce((m, x) => Math.min(m, x), Infinity),
  },
  ReduceProd: { wcr: 'prod', dtypes: NUMERIC, body: (x) => x, fold: (xs) => xs.reduce((p, x) => p * x, 1) },
  ReduceL1: { wcr: 'sum', dtypes: NUMERIC, body: (x) => un('abs', x), fold: (xs) => total(xs, Math.abs) },
  ReduceL2: {
    wcr: 'sum', dtypes: FLOAT, body: (x) => mul(x, x), epilogue: (a) => un('sqrt', a),
    fold: (xs) => Math.sqrt(total(xs, (x) => x * x)),
  },
  ReduceSumSquare: { wcr: 'sum', dtypes: NUMERIC, body: (x) => mul(x, x), fold: (xs) => total(xs, (x) => x * x) },
  ReduceLogSum: {
    wcr: 'sum', dtypes: FLOAT, body: (x) => x, epilogue: (a) => un('log', a),
    fold: (xs) => Math.log(total(xs)),
  },
  // Lowered in two maps (the maximum first, for stability); body and epilogue here are unused.
  ReduceLogSumExp: {
    wcr: 'sum', dtypes: FLOAT, body: (x) => un('exp', x), epilogue: (a) => un('log', a),
    fold: (xs) => {
      const m = xs.reduce((a, x) => Math.max(a, x), -Infinity);
      return Math.log(total(xs, (x) => Math.exp(x - m))) + m;
    },
  },
};

/**
 * The range of an integer dtype. An empty ReduceMax/ReduceMin yields the dtype's lowest/highest
 * value rather than ∓infinity, which integer storage cannot hold.
 */
export function integerRange(dtype: DType): readonly [number, number] | undefined {
  switch (dtype) {
    case 'int32': return [-2147483648, 2147483647];
    case 'int64': return [-9223372036854775808, 9223372036854775807];
    case 'bool': return [0, 1];
    default: return undefined;
  }
}
