// Resize, executed directly: every output element is the weighted sum, in float64, of the input
// elements its per-axis samples select (one for nearest, 2 per resized axis for linear, 4 for
// cubic, a filter's width for antialias), or the extrapolation value outside a crop.

import { fromNumbers, sizeOf, stridesOf, toNumbers, type Tensor } from '../../tensor.js';
import type { ValueInfo } from '../../graph.js';
import { isIdentity, type ResizeAttrs } from './attrs.js';
import { axisSamples, type Sample } from './reference-taps.js';

export function resizeReference(attrs: ResizeAttrs, x: Tensor, out: ValueInfo): Tensor {
  if (isIdentity(attrs)) return fromNumbers(out.dtype, out.shape, toNumbers(x));
  const input = toNumbers(x);
  const strides = stridesOf(x.shape);
  const samples: Sample[][] = attrs.geometry.map((g) => axisSamples(attrs, g));
  const rank = out.shape.length;
  const n = sizeOf(out.shape);
  const result = new Float64Array(n);
  const index = new Array<number>(rank).fill(0);

  const chosen: Sample[] = new Array(rank);
  const accumulate = (d: number, offset: number, weight: number): number => {
    if (d === rank) return weight * input[offset];
    let total = 0;
    for (const tap of chosen[d].taps) total += accumulate(d + 1, offset + tap.index * strides[d], weight * tap.weight);
    return total;
  };

  for (let flat = 0; flat < n; flat++) {
    let outside = false;
    for (let d = 0; d < rank; d++) {
      chosen[d] = samples[d][index[d]];
      outside ||= chosen[d].outside;
    }
    result[flat] = outside ? attrs.extrapolationValue : accumulate(0, 0, 1);
    // Next output index in row-major order.
    for (let d = rank - 1; d >= 0 && ++index[d] === out.shape[d]; d--) index[d] = 0;
  }
  return fromNumbers(out.dtype, out.shape, result);
}
