// Seeded random tensors for tests and for `freight run` inputs that the user did not give.

import seedrandom from 'seedrandom';
import { fromNumbers, sizeOf, type DType, type Shape, type Tensor } from '../tensor.js';

export type Rng = () => number;

export function rng(seed: number | string): Rng {
  return seedrandom(String(seed));
}

/** Uniform in [lo, hi). */
export function uniform(r: Rng, shape: Shape, lo = -1, hi = 1, dtype: DType = 'float32'): Tensor {
  const n = sizeOf(shape);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = lo + (hi - lo) * r();
  return fromNumbers(dtype, shape, xs);
}

/** Standard normal (Box–Muller), scaled. */
export function normal(r: Rng, shape: Shape, std = 1): Tensor {
  const n = sizeOf(shape);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - r();
    xs[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  }
  return fromNumbers('float32', shape, xs);
}

/** Integers uniform in [lo, hi). */
export function integers(r: Rng, shape: Shape, lo: number, hi: number, dtype: DType = 'int64'): Tensor {
  const n = sizeOf(shape);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = lo + Math.floor((hi - lo) * r());
  return fromNumbers(dtype, shape, xs);
}

export function bools(r: Rng, shape: Shape): Tensor {
  return integers(r, shape, 0, 2, 'bool');
}
