// The reference side of elementwise operators: evaluates a scalar function over inputs broadcast
// to an output shape, with direct loops over flat arrays in float64.

import { fromNumbers, sizeOf, stridesOf, toNumbers, type DType, type Shape, type Tensor } from '../../tensor.js';

/**
 * out[i] = f(xs) where xs[k] is input k's element broadcast to output position i
 * (NaN for an absent input). The results are stored as `dtype` (integers truncate).
 */
export function broadcastEval(
  dtype: DType, shape: Shape, inputs: readonly (Tensor | undefined)[], f: (xs: readonly number[]) => number,
): Tensor {
  const rank = shape.length;
  const values = inputs.map((t) => (t ? toNumbers(t) : undefined));
  // Per input, the step in its flat array for each output dimension (0 where it broadcasts).
  const steps = inputs.map((t) => {
    if (!t) return new Array<number>(rank).fill(0);
    const strides = stridesOf(t.shape);
    const offset = rank - t.shape.length;
    return shape.map((_, d) => (d < offset || t.shape[d - offset] === 1 ? 0 : strides[d - offset]));
  });
  const n = sizeOf(shape);
  const out = new Float64Array(n);
  const index = new Array<number>(rank).fill(0);
  const at = new Array<number>(inputs.length).fill(0);
  const xs = new Array<number>(inputs.length).fill(NaN);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) if (values[k]) xs[k] = values[k]![at[k]];
    out[i] = f(xs);
    // Advance the output multi-index (row-major) and every input's flat position with it.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < inputs.length; k++) at[k] += steps[k][d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < inputs.length; k++) at[k] -= steps[k][d] * shape[d];
      index[d] = 0;
    }
  }
  return fromNumbers(dtype, shape, out);
}
