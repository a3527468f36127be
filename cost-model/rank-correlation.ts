// How well predictions order what was measured: Spearman's rank correlation, the figure the cost
// model's accuracy is reported in (ties take the mean of the ranks they span).

/** Spearman's ρ of two equally long samples; NaN where either is constant or shorter than 2. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`spearman: samples of ${a.length} and ${b.length} values`);
  return pearson(ranks(a), ranks(b));
}

/** Ranks from 1, ties sharing their mean rank. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((p, q) => p.x - q.x);
  const out = new Array<number>(xs.length);
  for (let lo = 0; lo < order.length;) {
    let hi = lo;
    while (hi + 1 < order.length && order[hi + 1].x === order[lo].x) hi++;
    for (let k = lo; k <= hi; k++) out[order[k].i] = (lo + hi) / 2 + 1;
    lo = hi + 1;
  }
  return out;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / n;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return n < 2 ? NaN : ab / Math.sqrt(aa * bb);
}
