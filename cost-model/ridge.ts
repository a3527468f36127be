// Ridge regression in closed form: standardize the features (weighted), centre the targets, and
// solve (ZᵀWZ + λI)·w = ZᵀW·y by Cholesky. Small (tens of features, thousands of rows) and exact,
// which is all the cost model's calibration needs. Predictions clamp each standardized feature to
// the range seen in fitting, so that a kernel unlike any measured one is not extrapolated wildly.

export interface RidgeFit {
  readonly mean: Float64Array;
  /** Standard deviation per feature; 1 where a feature was constant (its weight is then 0). */
  readonly scale: Float64Array;
  /** Weights of the standardized features. */
  readonly coef: Float64Array;
  readonly intercept: number;
  /** Range of each standardized feature in fitting. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/** `rows[i]` are sample i's features, `y[i]` its target; `weights` default to 1. `lambda` > 0. */
export function fitRidge(rows: readonly Float64Array[], y: readonly number[], lambda: number, weights?: readonly number[]): RidgeFit {
  const n = rows.length;
  if (n === 0 || y.length !== n) throw new Error(`fitRidge: ${n} rows and ${y.length} targets`);
  if (!(lambda > 0)) throw new Error(`fitRidge: lambda must be positive, not ${lambda}`);
  const d = rows[0].length;
  const w = weights ?? new Array<number>(n).fill(1);
  const total = w.reduce((s, x) => s + x, 0);
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += (w[i] * y[i]) / total;
    for (let j = 0; j < d; j++) mean[j] += (w[i] * rows[i][j]) / total;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j] += (w[i] * (rows[i][j] - mean[j]) ** 2) / total;
  for (let j = 0; j < d; j++) scale[j] = scale[j] > 1e-24 ? Math.sqrt(scale[j]) : 1;
  const z = rows.map((r) => Float64Array.from(r, (x, j) => (x - mean[j]) / scale[j]));
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      b[j] += w[i] * z[i][j] * (y[i] - yMean);
      for (let k = 0; k <= j; k++) a[j * d + k] += w[i] * z[i][j] * z[i][k];
    }
  }
  for (let j = 0; j < d; j++) a[j * d + j] += lambda;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (const r of z) for (let j = 0; j < d; j++) [lo[j], hi[j]] = [Math.min(lo[j], r[j]), Math.max(hi[j], r[j])];
  return { mean, scale, coef: choleskySolve(a, b, d), intercept: yMean, lo, hi };
}

export function predictRidge(fit: RidgeFit, x: ArrayLike<number>): number {
  let r = fit.intercept;
  for (let j = 0; j < fit.coef.length; j++) {
    const z = (x[j] - fit.mean[j]) / fit.scale[j];
    r += fit.coef[j] * Math.min(Math.max(z, fit.lo[j]), fit.hi[j]);
  }
  return r;
}

/** Solves A·x = b for a symmetric positive definite A given by its lower triangle (row-major d×d). */
function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      let s = a[j * d + k];
      for (let m = 0; m < k; m++) s -= l[j * d + m] * l[k * d + m];
      l[j * d + k] = j === k ? Math.sqrt(s) : s / l[k * d + k];
    }
  }
  const t = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = b[j];
    for (let m = 0; m < j; m++) s -= l[j * d + m] * t[m];
    t[j] = s / l[j * d + j];
  }
  const x = new Float64Array(d);
  for (let j = d - 1; j >= 0; j--) {
    let s = t[j];
    for (let m = j + 1; m < d; m++) s -= l[m * d + j] * x[m];
    x[j] = s / l[j * d + j];
  }
  return x;
}
