// The lowering's coordinate transformation: the input position that output index `x` (an
// expression of the map's iteration variable) samples along one axis, as an expression. Casts to
// float32 sit where ONNX Runtime rounds to float32, so that nearest rounding at exact .5 and the
// crop bounds pick the same pixel; on a float32 device they cost nothing.

import { add, bin, c, cast, div, mul, sub, type Expr } from '../../expr.js';
import type { AxisGeometry, CoordinateMode } from './attrs.js';

const fr = Math.fround;

/** float32 rounding of `e`, folded on constants. */
export const f32 = (e: Expr): Expr => (e.k === 'const' ? c(fr(e.v)) : cast('float32', e));

/** An index clamped into [0, n - 1]. */
export const clampIndex = (i: Expr, n: number): Expr => bin('min', bin('max', i, c(0)), c(n - 1));

export function originalCoordinateExpr(mode: CoordinateMode, x: Expr, g: AxisGeometry): Expr {
  const { scale, inLength: n, outLength: m } = g;
  // x + 0.5 and x · (n - 1) are exact in float32 for any realistic length: no cast needed.
  const halfPixel = (): Expr => f32(sub(f32(div(add(x, c(0.5)), c(scale))), c(0.5)));
  switch (mode) {
    case 'half_pixel': return halfPixel();
    case 'pytorch_half_pixel': return m > 1 ? halfPixel() : c(0);
    case 'tf_half_pixel_for_nn': return f32(div(add(x, c(0.5)), c(scale)));
    case 'asymmetric': return f32(div(x, c(scale)));
    case 'align_corners': return m === 1 ? c(0) : f32(div(mul(x, c(n - 1)), c(m - 1)));
    case 'half_pixel_symmetric': {
      const outputWidth = fr(scale * n);
      const offset = fr(fr(n / 2) * fr(1 - fr(m / outputWidth)));
      return f32(sub(add(c(offset), div(add(x, c(0.5)), c(scale))), c(0.5)));
    }
    case 'tf_crop_and_resize': {
      const { roiStart: s, roiEnd: e } = g;
      if (m === 1) return c(fr(0.5 * fr(s + e) * (n - 1)));
      const start = fr(s * (n - 1));
      const step = f32(div(f32(mul(f32(mul(x, c(fr(e - s)))), c(n - 1))), c(m - 1)));
      return f32(add(c(start), step));
    }
  }
}
