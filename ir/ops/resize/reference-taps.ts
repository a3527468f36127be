// The reference's sampling along one axis: for every output index, the input indices it reads and
// their weights, or that it lies outside the input (tf_crop_and_resize extrapolates there).
// Written after ONNX Runtime's CPU kernel (upsample.cc, upsample_aa.cc), in plain arithmetic.

import type { AxisGeometry, ResizeAttrs } from './attrs.js';
import { originalCoordinate } from './reference-coordinate.js';

export interface Tap {
  readonly index: number;
  readonly weight: number;
}

export interface Sample {
  readonly taps: readonly Tap[];
  /** tf_crop_and_resize: the sample position lies outside the input; the output is the extrapolation value. */
  readonly outside: boolean;
}

const f = Math.fround;
const clamp = (i: number, n: number): number => Math.min(Math.max(i, 0), n - 1);
/** C's std::round: half away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.floor(Math.abs(x) + 0.5);

export function axisSamples(attrs: ResizeAttrs, g: AxisGeometry): Sample[] {
  return Array.from({ length: g.outLength }, (_, i): Sample => {
    if (g.scale === 1) return { taps: [{ index: i, weight: 1 }], outside: false };
    if (attrs.antialias) return { taps: antialiasTaps(attrs, g, i), outside: false };
    const x = originalCoordinate(attrs.coordinateMode, i, g);
    const outside = attrs.coordinateMode === 'tf_crop_and_resize' && (x < 0 || x > g.inLength - 1);
    switch (attrs.mode) {
      case 'nearest': return { taps: [{ index: clamp(nearestPixel(attrs, x), g.inLength), weight: 1 }], outside };
      case 'linear': return { taps: linearTaps(x, g.inLength), outside };
      case 'cubic': return { taps: cubicTaps(attrs, x, g.inLength), outside };
    }
  });
}

/**
 * ONNX Runtime (1.30) treats a position within 1e-6 of a half as a tie, so that float32 error in
 * the coordinate does not decide which way a .5 rounds; floor and ceil are exact.
 */
const TIE_TOLERANCE = 1e-6;

function nearestPixel(attrs: ResizeAttrs, x: number): number {
  const tie = Math.abs(x - Math.floor(x) - 0.5) <= TIE_TOLERANCE;
  switch (attrs.nearestMode) {
    case 'round_prefer_floor': return tie ? Math.floor(x) : roundHalfAway(x);
    case 'round_prefer_ceil': return tie ? Math.ceil(x) : roundHalfAway(x);
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
  }
}

function linearTaps(x: number, n: number): Tap[] {
  const xc = Math.max(0, Math.min(x, n - 1));
  const lo = Math.min(Math.trunc(xc), n - 1);
  const hi = Math.min(lo + 1, n - 1);
  if (lo === hi) return [{ index: lo, weight: 0.5 }, { index: hi, weight: 0.5 }];
  return [{ index: lo, weight: Math.abs(xc - hi) }, { index: hi, weight: Math.abs(xc - lo) }];
}

/** Keys' cubic convolution weights of the four neighbours floor(x)-1 … floor(x)+2. */
function cubicTaps(attrs: ResizeAttrs, x: number, n: number): Tap[] {
  const a = attrs.cubicCoeffA;
  const base = Math.floor(x);
  const s = f(x - base);
  const far = (d: number): number => ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  const near = (d: number): number => ((a + 2) * d - (a + 3)) * d * d + 1;
  const weights = [far(s + 1), near(s), near(1 - s), far(2 - s)];
  const positions = [base - 1, base, base + 1, base + 2];
  if (attrs.excludeOutside) {
    positions.forEach((p, j) => { if (p < 0 || p >= n) weights[j] = 0; });
    const total = weights.reduce((t, w) => t + w, 0);
    weights.forEach((w, j) => { weights[j] = w / total; });
  }
  return positions.map((p, j) => ({ index: clamp(p, n), weight: weights[j] }));
}

/**
 * Antialiasing (Pillow's resampling, as ONNX Runtime does it): the filter is stretched by
 * 1/scale when downsampling, every input index under it contributes, weights are normalized to
 * sum to 1, and indices beyond the input read the edge (or are dropped with exclude_outside).
 */
function antialiasTaps(attrs: ResizeAttrs, g: AxisGeometry, i: number): Tap[] {
  const linear = attrs.mode === 'linear';
  const halfSupport = linear ? 1 : 2;
  const stretch = f(1 / g.scale);
  const support = stretch >= 1 ? f(halfSupport * stretch) : halfSupport;
  const invStretch = stretch >= 1 ? f(1 / stretch) : 1;
  const center = f(0.5 + originalCoordinate(attrs.coordinateMode, i, g));
  let lo = Math.floor(f(center - support) + 0.5);
  let hi = Math.floor(f(center + support) + 0.5);
  if (attrs.excludeOutside) {
    lo = Math.max(lo, 0);
    hi = Math.min(hi, g.inLength);
  }
  const filter = linear ? triangle : keys(attrs.cubicCoeffA);
  const taps: Tap[] = [];
  for (let p = lo; p < hi; p++) taps.push({ index: clamp(p, g.inLength), weight: filter(f(f(f(p - center) + 0.5) * invStretch)) });
  const total = taps.reduce((t, tap) => t + tap.weight, 0);
  return total === 0 ? taps : taps.map((t) => ({ index: t.index, weight: t.weight / total }));
}

const triangle = (x: number): number => Math.max(0, 1 - Math.abs(x));

const keys = (a: number) => (x: number): number => {
  const d = Math.abs(x);
  if (d < 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2) return (((d - 5) * d + 8) * d - 4) * a;
  return 0;
};
