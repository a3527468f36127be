// Spearman's ρ on hand-computed cases: monotone relations, ties, degenerate samples.

import { describe, expect, it } from 'vitest';
import { ranks, spearman } from './rank-correlation.js';

describe('spearman', () => {
  it('is 1 for any increasing relation and -1 for a decreasing one', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 1e6])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('gives ties their mean rank', () => {
    expect(ranks([5, 1, 5, 3])).toEqual([3.5, 1, 3.5, 2]);
    // ρ = 1 − 6·Σd²/(n(n²−1)) without ties: d = (0, 0, 1, −1) → 1 − 12/60.
    expect(spearman([1, 2, 3, 4], [1, 2, 4, 3])).toBeCloseTo(0.8, 12);
  });

  it('is NaN where a sample is constant, and refuses samples of different lengths', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/2 and 1/);
  });
});
