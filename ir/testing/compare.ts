// Tensor comparison for tests and verification: exact for integers and bools; for floats each
// element must satisfy |a - b| <= rtol * (|b| + mean|b|), so near-zero elements of a tensor are
// judged against the tensor's scale, not against themselves. NaN matches NaN, ±inf match exactly.

import { formatShape, sameShape, toNumbers, type Tensor } from '../tensor.js';

export interface Comparison {
  readonly ok: boolean;
  /** max over elements of |a - b| / (|b| + mean|b|). */
  readonly maxRelError: number;
  /** Why it failed, naming the first bad element. */
  readonly detail?: string;
}

export function compareTensors(actual: Tensor, expected: Tensor, rtol = 1e-4): Comparison {
  if (actual.dtype !== expected.dtype) return { ok: false, maxRelError: Infinity, detail: `dtype ${actual.dtype} != ${expected.dtype}` };
  if (!sameShape(actual.shape, expected.shape)) {
    return { ok: false, maxRelError: Infinity, detail: `shape ${formatShape(actual.shape)} != ${formatShape(expected.shape)}` };
  }
  const a = toNumbers(actual);
  const b = toNumbers(expected);
  const exact = expected.dtype !== 'float32';
  let meanAbs = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) meanAbs += Math.abs(b[i]) / b.length;
  let maxRelError = 0;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (a[i] === b[i]) continue;
    const err = exact || !Number.isFinite(a[i]) || !Number.isFinite(b[i]) ? Infinity
      : Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + meanAbs || Number.MIN_VALUE);
    maxRelError = Math.max(maxRelError, err);
    if (err > (exact ? 0 : rtol)) {
      return { ok: false, maxRelError, detail: `element ${i}: ${a[i]} vs expected ${b[i]}` };
    }
  }
  return { ok: true, maxRelError };
}
