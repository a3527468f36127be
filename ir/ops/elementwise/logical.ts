// Logical operators on bool tensors: Not, and the broadcasting And, Or, Xor.

import { bin, un, type Expr } from '../../expr.js';
import type { OpDef } from '../op.js';
import { BOOL, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

interface Logical {
  readonly type: string;
  readonly f: (a: boolean, b: boolean) => boolean;
  readonly e: (a: Expr, b: Expr) => Expr;
}

const LOGICAL: readonly Logical[] = [
  { type: 'And', f: (a, b) => a && b, e: (a, b) => bin('and', a, b) },
  { type: 'Or', f: (a, b) => a || b, e: (a, b) => bin('or', a, b) },
  // On 0/1 values, "differ" is exclusive or.
  { type: 'Xor', f: (a, b) => a !== b, e: (a, b) => bin('ne', a, b) },
];

function logical({ type, f, e }: Logical): OpDef {
  return elementwiseOp({
    type,
    arity: [2, 2],
    dtype: (_, inputs) => sameDtype(inputs, BOOL),
    scalar: () => (xs) => (f(xs[0] !== 0, xs[1] !== 0) ? 1 : 0),
    body: (_, [a, b]) => e(a!, b!),
  });
}

const not: OpDef = elementwiseOp({
  type: 'Not',
  arity: [1, 1],
  dtype: (_, inputs) => sameDtype(inputs, BOOL),
  scalar: () => (xs) => (xs[0] === 0 ? 1 : 0),
  body: (_, [x]) => un('not', x!),
});

export const logicalOps: readonly OpDef[] = [not, ...LOGICAL.map(logical)];
