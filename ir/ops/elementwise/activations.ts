// Activation functions with attributes, as one table: per operator its float attributes and their
// ONNX defaults, the reference's scalar function (plain JavaScript) and the lowering's Expr.
// Gelu's `approximate` is a string and picks between two formulas.

import { FreightError } from '../../errors.js';
import { add, bin, c, div, max, min, mul, sel, sub, un, type Expr } from '../../expr.js';
import { erf } from '../../math.js';
import type { DType } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { FLOAT, NUMERIC, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';
import { softplus } from './unary-math.js';

type Params = Readonly<Record<string, number>>;

interface Activation {
  readonly type: string;
  readonly dtypes: readonly DType[];
  /** Float attributes with their defaults. */
  readonly params: Params;
  readonly f: (x: number, p: Params) => number;
  readonly e: (x: Expr, p: Params) => Expr;
}

// x < 0 ? a : b, the shape of most piecewise activations.
const ifNegative = (x: Expr, a: Expr, b: Expr): Expr => sel(bin('lt', x, c(0)), a, b);
const expm1 = (x: Expr): Expr => sub(un('exp', x), c(1));
const clamp01 = (x: Expr): Expr => max(c(0), min(c(1), x));

const ACTIVATIONS: readonly Activation[] = [
  {
    type: 'Relu', dtypes: NUMERIC, params: {},
    f: (x) => Math.max(x, 0),
    e: (x) => max(x, c(0)),
  },
  {
    type: 'LeakyRelu', dtypes: FLOAT, params: { alpha: 0.01 },
    f: (x, { alpha }) => (x < 0 ? alpha * x : x),
    e: (x, { alpha }) => ifNegative(x, mul(x, c(alpha)), x),
  },
  {
    type: 'Elu', dtypes: FLOAT, params: { alpha: 1 },
    f: (x, { alpha }) => (x < 0 ? alpha * Math.expm1(x) : x),
    e: (x, { alpha }) => ifNegative(x, mul(expm1(x), c(alpha)), x),
  },
  {
    type: 'Selu', dtypes: FLOAT, params: { alpha: 1.67326319217681884765625, gamma: 1.05070102214813232421875 },
    f: (x, { alpha, gamma }) => gamma * (x > 0 ? x : alpha * Math.expm1(x)),
    e: (x, { alpha, gamma }) => mul(sel(bin('gt', x, c(0)), x, mul(expm1(x), c(alpha))), c(gamma)),
  },
  {
    type: 'Celu', dtypes: FLOAT, params: { alpha: 1 },
    f: (x, { alpha }) => Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha)),
    e: (x, { alpha }) => add(max(c(0), x), min(c(0), mul(expm1(div(x, c(alpha))), c(alpha)))),
  },
  {
    type: 'ThresholdedRelu', dtypes: FLOAT, params: { alpha: 1 },
    f: (x, { alpha }) => (x > alpha ? x : 0),
    e: (x, { alpha }) => sel(bin('gt', x, c(alpha)), x, c(0)),
  },
  {
    type: 'HardSigmoid', dtypes: FLOAT, params: { alpha: 0.2, beta: 0.5 },
    f: (x, { alpha, beta }) => Math.min(1, Math.max(0, alpha * x + beta)),
    e: (x, { alpha, beta }) => clamp01(add(mul(x, c(alpha)), c(beta))),
  },
  {
    type: 'HardSwish', dtypes: FLOAT, params: {},
    f: (x) => x * Math.min(1, Math.max(0, x / 6 + 0.5)),
    e: (x) => mul(x, clamp01(add(div(x, c(6)), c(0.5)))),
  },
  {
    type: 'Mish', dtypes: FLOAT, params: {},
    f: (x) => x * Math.tanh(Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0)),
    e: (x) => mul(x, un('tanh', softplus(x))),
  },
];

function activation({ type, dtypes, params, f, e }: Activation): OpDef<Params> {
  return elementwiseOp<Params>({
    type,
    arity: [1, 1],
    resolve: (ctx) => ({ attrs: Object.fromEntries(Object.entries(params).map(([k, d]) => [k, ctx.float(k, d)])) }),
    dtype: (_, inputs) => sameDtype(inputs, dtypes),
    scalar: (p) => (xs) => f(xs[0], p),
    body: (p, [x]) => e(x!, p),
  });
}

interface GeluAttrs {
  readonly approximate: 'none' | 'tanh';
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Gelu: x·Φ(x) exactly through erf, or with the tanh approximation. */
const gelu: OpDef<GeluAttrs> = elementwiseOp<GeluAttrs>({
  type: 'Gelu',
  arity: [1, 1],
  resolve(ctx) {
    const approximate = ctx.string('approximate', 'none');
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new FreightError(`attribute approximate is '${approximate}'; it must be 'none' or 'tanh'`);
    }
    return { attrs: { approximate } };
  },
  dtype: (_, inputs) => sameDtype(inputs, FLOAT),
  scalar: ({ approximate }) => approximate === 'none'
    ? (xs) => 0.5 * xs[0] * (1 + erf(xs[0] / Math.SQRT2))
    : (xs) => 0.5 * xs[0] * (1 + Math.tanh(SQRT_2_OVER_PI * (xs[0] + 0.044715 * xs[0] ** 3))),
  body({ approximate }, [x]) {
    const inner = approximate === 'none'
      ? un('erf', mul(x!, c(Math.SQRT1_2)))
      : un('tanh', mul(add(x!, mul(mul(mul(x!, x!), x!), c(0.044715))), c(SQRT_2_OVER_PI)));
    return mul(mul(x!, c(0.5)), add(c(1), inner));
  },
});

export const activationOps: readonly OpDef[] = [...ACTIVATIONS.map(activation), gelu];
