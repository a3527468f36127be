// Reference helper: a tensor whose elements are picked from another by position. Copies
// storage directly, so int64 values stay exact.

import { fromNumbers, sizeOf, stridesOf, zeros, type Shape, type Tensor } from '../../tensor.js';
import { unravel } from '../util.js';

/**
 * out[idx] = x.data[sourceOf(idx)] for every output multi-index; a negative source reads `fill`.
 */
export function pick(x: Tensor, outShape: Shape, sourceOf: (idx: number[]) => number, fill = 0): Tensor {
  const out = zeros(x.dtype, outShape);
  const dst = writable(out);
  const filler = fromNumbers(x.dtype, [], [fill]).data[0];
  const n = sizeOf(outShape);
  for (let i = 0; i < n; i++) {
    const s = sourceOf(unravel(i, outShape));
    dst[i] = s < 0 ? filler : x.data[s];
  }
  return out;
}

/** Row-major flat position of a multi-index in `shape`. */
export function flatIndex(shape: Shape, idx: readonly number[]): number {
  const strides = stridesOf(shape);
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat += idx[i] * strides[i];
  return flat;
}

/** Element-wise write access to a tensor's storage, whatever its typed array. */
export function writable(t: Tensor): { [i: number]: number | bigint } {
  return t.data as unknown as { [i: number]: number | bigint };
}
