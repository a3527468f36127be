// Broadcasting comparisons: Equal, Less, Greater, LessOrEqual, GreaterOrEqual. Both inputs share a
// dtype; the output is bool. Equal also compares bools.

import { bin, type BinaryOp } from '../../expr.js';
import type { DType } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { ANY, NUMERIC, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

interface Comparison {
  readonly type: string;
  readonly op: BinaryOp;
  readonly dtypes: readonly DType[];
  readonly f: (a: number, b: number) => boolean;
}

const COMPARISONS: readonly Comparison[] = [
  { type: 'Equal', op: 'eq', dtypes: ANY, f: (a, b) => a === b },
  { type: 'Less', op: 'lt', dtypes: NUMERIC, f: (a, b) => a < b },
  { type: 'Greater', op: 'gt', dtypes: NUMERIC, f: (a, b) => a > b },
  { type: 'LessOrEqual', op: 'le', dtypes: NUMERIC, f: (a, b) => a <= b },
  { type: 'GreaterOrEqual', op: 'ge', dtypes: NUMERIC, f: (a, b) => a >= b },
];

function comparison({ type, op, dtypes, f }: Comparison): OpDef {
  return elementwiseOp({
    type,
    arity: [2, 2],
    dtype: (_, inputs): DType => {
      sameDtype(inputs, dtypes);
      return 'bool';
    },
    scalar: () => (xs) => (f(xs[0], xs[1]) ? 1 : 0),
    body: (_, [a, b]) => bin(op, a!, b!),
  });
}

export const compareOps: readonly OpDef[] = COMPARISONS.map(comparison);
