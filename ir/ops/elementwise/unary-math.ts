// Unary math functions without attributes, as one table: per operator the dtypes it takes, the
// reference's scalar function (plain JavaScript) and the lowering's Expr.

import { add, c, div, max, un, type Expr } from '../../expr.js';
import { erf, roundHalfEven, sigmoid } from '../../math.js';
import type { DType } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { FLOAT, NUMERIC, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

interface UnaryMath {
  readonly type: string;
  readonly dtypes: readonly DType[];
  /** The output's dtype when it is not the input's. */
  readonly out?: DType;
  readonly f: (x: number) => number;
  readonly e: (x: Expr) => Expr;
}

/** log(1 + e^x) without overflow: the max term carries large x exactly. */
export const softplus = (x: Expr): Expr => add(max(x, c(0)), un('log', add(c(1), un('exp', un('neg', un('abs', x))))));

const UNARY_MATH: readonly UnaryMath[] = [
  { type: 'Abs', dtypes: NUMERIC, f: Math.abs, e: (x) => un('abs', x) },
  { type: 'Neg', dtypes: NUMERIC, f: (x) => -x, e: (x) => un('neg', x) },
  { type: 'Sign', dtypes: NUMERIC, f: Math.sign, e: (x) => un('sign', x) },
  { type: 'Sqrt', dtypes: FLOAT, f: Math.sqrt, e: (x) => un('sqrt', x) },
  { type: 'Exp', dtypes: FLOAT, f: Math.exp, e: (x) => un('exp', x) },
  { type: 'Log', dtypes: FLOAT, f: Math.log, e: (x) => un('log', x) },
  { type: 'Reciprocal', dtypes: FLOAT, f: (x) => 1 / x, e: (x) => un('recip', x) },
  { type: 'Erf', dtypes: FLOAT, f: erf, e: (x) => un('erf', x) },
  { type: 'Tanh', dtypes: FLOAT, f: Math.tanh, e: (x) => un('tanh', x) },
  { type: 'Sigmoid', dtypes: FLOAT, f: sigmoid, e: (x) => un('sigmoid', x) },
  { type: 'Sin', dtypes: FLOAT, f: Math.sin, e: (x) => un('sin', x) },
  { type: 'Cos', dtypes: FLOAT, f: Math.cos, e: (x) => un('cos', x) },
  { type: 'Floor', dtypes: FLOAT, f: Math.floor, e: (x) => un('floor', x) },
  { type: 'Ceil', dtypes: FLOAT, f: Math.ceil, e: (x) => un('ceil', x) },
  { type: 'Round', dtypes: FLOAT, f: roundHalfEven, e: (x) => un('round', x) },
  { type: 'Softplus', dtypes: FLOAT, f: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), e: softplus },
  { type: 'Softsign', dtypes: FLOAT, f: (x) => x / (1 + Math.abs(x)), e: (x) => div(x, add(c(1), un('abs', x))) },
  { type: 'IsNaN', dtypes: FLOAT, out: 'bool', f: (x) => (Number.isNaN(x) ? 1 : 0), e: (x) => un('isnan', x) },
];

function unaryMath({ type, dtypes, out, f, e }: UnaryMath): OpDef {
  return elementwiseOp({
    type,
    arity: [1, 1],
    dtype: (_, inputs) => {
      const dtype = sameDtype(inputs, dtypes);
      return out ?? dtype;
    },
    scalar: () => (xs) => f(xs[0]),
    body: (_, [x]) => e(x!),
  });
}

export const unaryMathOps: readonly OpDef[] = UNARY_MATH.map(unaryMath);
