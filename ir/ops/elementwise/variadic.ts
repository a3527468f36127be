// Variadic elementwise operators: Sum, Mean (float32), Min, Max (any numeric dtype). One or more
// inputs, broadcast together, combined in one map that reads every input once per element.

import { bin, c, div, type BinaryOp, type Expr } from '../../expr.js';
import type { DType } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { FLOAT, NUMERIC, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

interface Variadic {
  readonly type: string;
  readonly dtypes: readonly DType[];
  readonly op: BinaryOp;
  /** The reference: the result from all input elements. */
  readonly f: (xs: readonly number[]) => number;
  /** Mean divides the combined value by the input count. */
  readonly mean?: boolean;
}

function total(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

const VARIADIC: readonly Variadic[] = [
  { type: 'Sum', dtypes: FLOAT, op: 'add', f: total },
  { type: 'Mean', dtypes: FLOAT, op: 'add', f: (xs) => total(xs) / xs.length, mean: true },
  { type: 'Min', dtypes: NUMERIC, op: 'min', f: (xs) => Math.min(...xs) },
  { type: 'Max', dtypes: NUMERIC, op: 'max', f: (xs) => Math.max(...xs) },
];

function variadic({ type, dtypes, op, f, mean }: Variadic): OpDef {
  return elementwiseOp({
    type,
    arity: [1, Infinity],
    dtype: (_, inputs) => sameDtype(inputs, dtypes),
    scalar: () => f,
    body(_, reads) {
      const present = reads.filter((r): r is Expr => r !== undefined);
      const combined = present.slice(1).reduce((a, b) => bin(op, a, b), present[0]);
      return mean ? div(combined, c(present.length)) : combined;
    },
  });
}

export const variadicOps: readonly OpDef[] = VARIADIC.map(variadic);
