// Antialiased Resize (linear or cubic with antialias = 1) as maps. When downsampling by s the
// filter is stretched by 1/s, so an output element reads a window of input indices that starts
// at a computed position: a reduce dim per resized axis walks the window, taps past the window's
// end weigh 0, indices beyond the input read the edge. The weights along an axis are normalized
// to sum to 1; those sums are computed first, one transient per resized axis, and divide the
// weights in the main map (the filter is separable, so normalizing per axis is exact).

import { add, bin, c, mul, read, sel, sub, un, v, type Expr } from '../../expr.js';
import type { Dim, Memlet } from '../../program.js';
import type { LowerContext } from '../op.js';
import { dimsOf } from '../util.js';
import type { AxisGeometry, ResizeAttrs } from './attrs.js';
import { clampIndex, f32, originalCoordinateExpr } from './lower-coordinate.js';

const fr = Math.fround;

/** The window along one axis for output index `i`, and the weight of its tap `t`. */
interface Window {
  /** Taps per output index (the reduce extent): enough for the widest window. */
  readonly size: number;
  /** The input index of tap `t` (possibly outside the input). */
  position(i: Expr, t: Expr): Expr;
  /** The unnormalized weight of tap `t`; 0 past the window's end. */
  weight(i: Expr, t: Expr): Expr;
}

export function lowerAntialias(ctx: LowerContext, attrs: ResizeAttrs): void {
  const x = ctx.input(0);
  const out = ctx.output(0);
  const dims: Dim[] = dimsOf(out.shape);
  const index: Expr[] = dims.map((d) => v(d.name));
  const xIndex: Expr[] = [...index];
  // read(0) is X; read(k) for k ≥ 1 the k-th weight sum.
  const sums: Memlet[] = [];
  let body: Expr = read(0);

  attrs.geometry.forEach((g, d) => {
    if (g.scale === 1) return;
    const w = window(attrs, g);
    // Σ of the weights of each output index along this axis.
    const totals = ctx.transient('float32', [g.outLength], `weight_sum${d}`);
    ctx.map({
      dims: [{ name: 'o', extent: g.outLength }, { name: 't', extent: w.size, reduce: true }],
      reads: [],
      body: w.weight(v('o'), v('t')),
      write: { buffer: totals.name, index: [v('o')], wcr: 'sum' },
    });
    const tap = `t${d}`;
    dims.push({ name: tap, extent: w.size, reduce: true });
    xIndex[d] = clampIndex(w.position(index[d], v(tap)), g.inLength);
    sums.push({ buffer: totals.name, index: [index[d]] });
    // A window wholly outside the input (exclude_outside) sums to 0: leave its weights as they are.
    const total = read(sums.length);
    body = mul(body, bin('div', w.weight(index[d], v(tap)), sel(bin('eq', total, c(0)), c(1), total)));
  });

  const reads: Memlet[] = [{ buffer: x.name, index: xIndex }, ...sums];
  ctx.map({ dims, reads, body, write: { buffer: out.name, index, wcr: 'sum' } });
}

/** ONNX Runtime's window (upsample_aa.cc), with its float32 steps. */
function window(attrs: ResizeAttrs, g: AxisGeometry): Window {
  const linear = attrs.mode === 'linear';
  const halfSupport = linear ? 1 : 2;
  const stretch = fr(1 / g.scale);
  const support = stretch >= 1 ? fr(halfSupport * stretch) : halfSupport;
  const invStretch = stretch >= 1 ? fr(1 / stretch) : 1;
  const n = g.inLength;

  const center = (i: Expr): Expr => f32(add(c(0.5), originalCoordinateExpr(attrs.coordinateMode, i, g)));
  const start = (i: Expr): Expr => {
    const lo = un('floor', add(f32(sub(center(i), c(support))), c(0.5)));
    return attrs.excludeOutside ? bin('max', lo, c(0)) : lo;
  };
  const end = (i: Expr): Expr => {
    const hi = un('floor', add(f32(add(center(i), c(support))), c(0.5)));
    return attrs.excludeOutside ? bin('min', hi, c(n)) : hi;
  };
  const filter = linear ? triangle : keys(attrs.cubicCoeffA);
  return {
    size: 2 * Math.ceil(support) + 1,
    position: (i, t) => add(start(i), t),
    weight(i, t) {
      const p = add(start(i), t);
      const u = f32(mul(f32(add(f32(sub(p, center(i))), c(0.5))), c(invStretch)));
      return sel(bin('lt', p, end(i)), filter(u), c(0));
    },
  };
}

const triangle = (u: Expr): Expr => bin('max', c(0), sub(c(1), un('abs', u)));

/** Keys' cubic kernel with coefficient a, support 2. */
const keys = (a: number) => (u: Expr): Expr => {
  const d = un('abs', u);
  const inner = add(mul(mul(sub(mul(d, c(a + 2)), c(a + 3)), d), d), c(1));
  const outer = mul(sub(mul(add(mul(sub(d, c(5)), d), c(8)), d), c(4)), c(a));
  return sel(bin('lt', d, c(1)), inner, sel(bin('lt', d, c(2)), outer, c(0)));
};
