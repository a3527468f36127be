// Resize as one map over the output. Along every resized axis the output index becomes an input
// position (lower-coordinate.ts), and from it the input indices read, as computed (non-affine)
// memlet indices: one for nearest, two for linear, four for cubic, each with its weight as an
// expression. The map reads every combination across axes (2^k reads for linear over k resized
// axes) and sums them weighted; tf_crop_and_resize selects the extrapolation value outside.
// Antialiasing needs a variable number of taps and lowers elsewhere (lower-antialias.ts).

import { add, bin, c, mul, read, sel, sub, sum, un, v, type Expr } from '../../expr.js';
import type { MapOp } from '../../program.js';
import type { BufferRef, LowerContext } from '../op.js';
import { dimsOf } from '../util.js';
import { isIdentity, type AxisGeometry, type ResizeAttrs } from './attrs.js';
import { lowerAntialias } from './lower-antialias.js';
import { clampIndex, originalCoordinateExpr } from './lower-coordinate.js';

/** See reference-taps.ts: ONNX Runtime's tolerance for a tie at .5. */
const TIE_TOLERANCE = 1e-6;

/** One input index read along an axis, and its weight (none: the only read, weight 1). */
interface TapExpr {
  readonly index: Expr;
  readonly weight?: Expr;
}

interface AxisSampling {
  readonly taps: readonly TapExpr[];
  /** tf_crop_and_resize: 1 where the sample position lies outside the input. */
  readonly outside?: Expr;
}

export function lowerResize(ctx: LowerContext, attrs: ResizeAttrs): void {
  const x = ctx.input(0);
  const out = ctx.output(0);
  if (isIdentity(attrs)) return ctx.alias(out, x);
  if (attrs.antialias) return lowerAntialias(ctx, attrs);
  ctx.map(samplingMap(attrs, x, out));
}

function samplingMap(attrs: ResizeAttrs, x: BufferRef, out: BufferRef): MapOp {
  const dims = dimsOf(out.shape);
  const sampling = attrs.geometry.map((g, d) => axisSampling(attrs, g, v(dims[d].name)));

  // Every combination of one tap per axis is one read.
  let combos: TapExpr[][] = [[]];
  for (const s of sampling) combos = combos.flatMap((combo) => s.taps.map((t) => [...combo, t]));
  const reads = combos.map((combo) => ({ buffer: x.name, index: combo.map((t) => t.index) }));
  const terms = combos.map((combo, m) => combo.reduce((term, t) => (t.weight ? mul(term, t.weight) : term), read(m)));
  const body = sum(terms);

  const outside = sampling.flatMap((s) => (s.outside ? [s.outside] : []));
  const guarded = outside.length === 0 ? body
    : sel(outside.reduce((a, b) => bin('or', a, b)), c(attrs.extrapolationValue), body);
  return { dims, reads, body: guarded, write: { buffer: out.name, index: dims.map((d) => v(d.name)) } };
}

function axisSampling(attrs: ResizeAttrs, g: AxisGeometry, i: Expr): AxisSampling {
  // ONNX Runtime maps an axis whose scale is exactly 1 one-to-one, whatever the coordinate mode.
  if (g.scale === 1) return { taps: [{ index: i }] };
  const x = originalCoordinateExpr(attrs.coordinateMode, i, g);
  const n = g.inLength;
  const outside = attrs.coordinateMode === 'tf_crop_and_resize'
    ? bin('or', bin('lt', x, c(0)), bin('gt', x, c(n - 1)))
    : undefined;
  switch (attrs.mode) {
    case 'nearest': return { taps: [{ index: clampIndex(nearestIndex(attrs, x), n) }], outside };
    case 'linear': return { taps: linearTaps(x, n), outside };
    case 'cubic': return { taps: cubicTaps(attrs, x, n), outside };
  }
}

/**
 * The rounding of each nearest_mode, for the x ≥ 0 that matter (anything below clamps to 0).
 * ONNX Runtime counts a position within 1e-6 of a half as a tie (float32 error must not decide
 * it): round half down is then ceil(x - 0.5 - 1e-6), round half up floor(x + 0.5 + 1e-6).
 */
function nearestIndex(attrs: ResizeAttrs, x: Expr): Expr {
  switch (attrs.nearestMode) {
    case 'round_prefer_floor': return un('ceil', sub(x, c(0.5 + TIE_TOLERANCE)));
    case 'round_prefer_ceil': return un('floor', add(x, c(0.5 + TIE_TOLERANCE)));
    case 'floor': return un('floor', x);
    case 'ceil': return un('ceil', x);
  }
}

/** The two neighbours of the position clamped into the input; at the last index both are it. */
function linearTaps(x: Expr, n: number): TapExpr[] {
  const inside = bin('min', bin('max', x, c(0)), c(n - 1));
  const lo = un('floor', inside);
  const hi = bin('min', add(lo, c(1)), c(n - 1));
  const frac = sub(inside, lo);
  return [{ index: lo, weight: sub(c(1), frac) }, { index: hi, weight: frac }];
}

/** Keys' cubic convolution over floor(x)-1 … floor(x)+2, reading the edge beyond the input. */
function cubicTaps(attrs: ResizeAttrs, x: Expr, n: number): TapExpr[] {
  const a = attrs.cubicCoeffA;
  const base = un('floor', x);
  const s = sub(x, base);
  const far = (d: Expr): Expr => sub(mul(add(mul(sub(mul(d, c(a)), c(5 * a)), d), c(8 * a)), d), c(4 * a));
  const near = (d: Expr): Expr => add(mul(mul(sub(mul(d, c(a + 2)), c(a + 3)), d), d), c(1));
  const weights = [far(add(s, c(1))), near(s), near(sub(c(1), s)), far(sub(c(2), s))];
  const positions = [-1, 0, 1, 2].map((k) => add(base, c(k)));
  if (!attrs.excludeOutside) return positions.map((p, j) => ({ index: clampIndex(p, n), weight: weights[j] }));
  // exclude_outside: neighbours outside the input weigh 0, and the rest are renormalized.
  const kept = positions.map((p, j) => sel(bin('and', bin('ge', p, c(0)), bin('le', p, c(n - 1))), weights[j], c(0)));
  const total = sum(kept);
  return positions.map((p, j) => ({ index: clampIndex(p, n), weight: bin('div', kept[j], total) }));
}
