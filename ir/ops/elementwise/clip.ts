// Clip: min(max(x, lo), hi) with optional bounds (inputs 1 and 2). A constant bound becomes an
// attribute; a bound known only at run time stays an input, a one-element tensor every output
// element reads. With lo > hi every element becomes hi, as ONNX specifies.

import { FreightError } from '../../errors.js';
import { c, max, min, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { elementAt, formatShape, sizeOf } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { NUMERIC, requireDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

interface ClipAttrs {
  /** Constant bounds; absent when the bound is absent, infinite on its open side, or a runtime input. */
  readonly min?: number;
  readonly max?: number;
}

const BOUNDS = [{ at: 1, name: 'min', open: -Infinity }, { at: 2, name: 'max', open: Infinity }] as const;

function resolveClip(ctx: ResolveContext): { attrs: ClipAttrs; consumed: number[] } {
  const attrs: { min?: number; max?: number } = {};
  const consumed: number[] = [];
  for (const { at, name, open } of BOUNDS) {
    const t = ctx.constant(at);
    if (!t) continue;
    checkBound(name, t, ctx.input(0));
    const value = elementAt(t, 0);
    // A bound at the open infinity clips nothing; leaving it out keeps attrs JSON-exact.
    if (value !== open) attrs[name] = value;
    consumed.push(at);
  }
  return { attrs, consumed };
}

function checkBound(name: string, bound: ValueInfo, x: ValueInfo | undefined): void {
  if (sizeOf(bound.shape) !== 1) {
    throw new FreightError(`its ${name} must be a scalar, but has shape ${formatShape(bound.shape)}`);
  }
  if (x && bound.dtype !== x.dtype) {
    throw new FreightError(`its ${name} has dtype ${bound.dtype}, but the input has dtype ${x.dtype}`);
  }
}

export const clipOp: OpDef<ClipAttrs> = elementwiseOp<ClipAttrs>({
  type: 'Clip',
  arity: [1, 3],
  resolve: resolveClip,
  dtype(_, [x, lo, hi]) {
    if (lo) checkBound('min', lo, x);
    if (hi) checkBound('max', hi, x);
    return requireDtype('the input', x!.dtype, NUMERIC);
  },
  // The output has x's shape: one-element bounds of any rank never widen it.
  shape: (_, [x]) => x!.shape,
  scalar: (attrs, _, [, loInput, hiInput]) => (xs) => {
    const lo = attrs.min ?? (loInput ? xs[1] : -Infinity);
    const hi = attrs.max ?? (hiInput ? xs[2] : Infinity);
    const y = xs[0] < lo ? lo : xs[0];
    return y > hi ? hi : y;
  },
  body(attrs, [x, loRead, hiRead]) {
    const lo: Expr | undefined = attrs.min !== undefined ? c(attrs.min) : loRead;
    const hi: Expr | undefined = attrs.max !== undefined ? c(attrs.max) : hiRead;
    const clipped = lo ? max(x!, lo) : x!;
    return hi ? min(clipped, hi) : clipped;
  },
});
