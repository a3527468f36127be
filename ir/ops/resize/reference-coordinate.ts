// The reference's coordinate transformation: where output index x of one axis samples the input,
// in plain arithmetic. Every step is rounded to float32 where ONNX Runtime computes in float32,
// because nearest rounding at .5 and the tf_crop_and_resize bounds depend on the last bit.

import type { AxisGeometry, CoordinateMode } from './attrs.js';

const f = Math.fround;

export function originalCoordinate(mode: CoordinateMode, x: number, g: AxisGeometry): number {
  const { scale, inLength: n, outLength: m } = g;
  switch (mode) {
    case 'half_pixel': return f(f(f(x + 0.5) / scale) - 0.5);
    case 'pytorch_half_pixel': return m > 1 ? f(f(f(x + 0.5) / scale) - 0.5) : 0;
    case 'tf_half_pixel_for_nn': return f(f(x + 0.5) / scale);
    case 'asymmetric': return f(x / scale);
    case 'align_corners': return m === 1 ? 0 : f(f(x * f(n - 1)) / f(m - 1));
    case 'half_pixel_symmetric': {
      // float32 setup, then the sample position in double, rounded once at the end.
      const adjustment = f(m / f(scale * n));
      const offset = f(f(n / 2) * f(1 - adjustment));
      return f(offset + (x + 0.5) / scale - 0.5);
    }
    case 'tf_crop_and_resize': {
      const { roiStart: s, roiEnd: e } = g;
      if (m === 1) return f(0.5 * f(s + e) * (n - 1));
      return f(f(s * (n - 1)) + f(f(f(x * f(e - s)) * (n - 1)) / (m - 1)));
    }
  }
}
