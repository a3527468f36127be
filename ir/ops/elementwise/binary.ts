// Broadcasting binary arithmetic: Add, Sub, Mul, Div (integer division truncates toward zero, as
// in C) and Pow (the exponent may have another numeric dtype than the base; the result has the
// base's dtype).

import { bin, un, type BinaryOp, type Expr } from '../../expr.js';
import type { DType } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { NUMERIC, requireDtype, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

const isInt = (dtype: DType): boolean => dtype === 'int32' || dtype === 'int64';

interface Arithmetic {
  readonly type: string;
  readonly op: BinaryOp;
  /** The reference's scalar function for the output dtype. */
  readonly f: (out: DType) => (a: number, b: number) => number;
}

const ARITHMETIC: readonly Arithmetic[] = [
  { type: 'Add', op: 'add', f: () => (a, b) => a + b },
  { type: 'Sub', op: 'sub', f: () => (a, b) => a - b },
  { type: 'Mul', op: 'mul', f: () => (a, b) => a * b },
  { type: 'Div', op: 'div', f: (out) => (isInt(out) ? (a, b) => Math.trunc(a / b) : (a, b) => a / b) },
];

function arithmetic({ type, op, f }: Arithmetic): OpDef {
  return elementwiseOp({
    type,
    arity: [2, 2],
    dtype: (_, inputs) => sameDtype(inputs, NUMERIC),
    scalar: (_, out) => {
      const g = f(out);
      return (xs) => g(xs[0], xs[1]);
    },
    body(_, [a, b], out): Expr {
      const e = bin(op, a!, b!);
      // Truncate the integer quotient explicitly instead of relying on the store's conversion.
      return op === 'div' && isInt(out) ? un('trunc', e) : e;
    },
  });
}

const pow: OpDef = elementwiseOp({
  type: 'Pow',
  arity: [2, 2],
  dtype: (_, [base, exponent]) => {
    requireDtype('the exponent', exponent!.dtype, NUMERIC);
    return requireDtype('the base', base!.dtype, NUMERIC);
  },
  // An integer result is the real power truncated (2 ** -1 is 0), as ONNX Runtime computes it.
  scalar: () => (xs) => xs[0] ** xs[1],
  body: (_, [a, b]) => bin('pow', a!, b!),
});

export const binaryOps: readonly OpDef[] = [...ARITHMETIC.map(arithmetic), pow];
