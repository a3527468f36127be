import { describe, expect, it } from 'vitest';
import { checkOp, f, type AttrSpec } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { int, resolveOne } from '../../testing/freight-only.js';

const r = rng('gemm');
const gemm = (a: number[], b: number[], cShape: number[] | null, attrs: Record<string, AttrSpec> = {}) =>
  checkOp({ op: 'Gemm', inputs: [uniform(r, a), uniform(r, b), cShape ? uniform(r, cShape) : null], attrs });

describe('Gemm', () => {
  it('plain, with C [M, N]', () => gemm([3, 5], [5, 4], [3, 4]));
  it('without C', () => gemm([3, 5], [5, 4], null));
  it('transA', () => gemm([5, 3], [5, 4], [3, 4], { transA: 1 }));
  it('transB', () => gemm([3, 5], [4, 5], [3, 4], { transB: 1 }));
  it('transA and transB', () => gemm([5, 3], [4, 5], [3, 4], { transA: 1, transB: 1 }));
  it('C as a scalar', () => gemm([3, 5], [5, 4], [], { alpha: f(0.5), beta: f(2) }));
  it('C as [1]', () => gemm([3, 5], [5, 4], [1], { beta: f(-1) }));
  it('C as a row [N]', () => gemm([3, 5], [4, 5], [4], { transB: 1, alpha: f(2) }));
  it('C as a row [1, N]', () => gemm([3, 5], [5, 4], [1, 4]));
  it('C as a column [M, 1]', () => gemm([5, 3], [5, 4], [3, 1], { transA: 1, beta: f(0.25) }));
  it('beta 0 ignores C', () => gemm([3, 5], [5, 4], [3, 4], { beta: f(0) }));
  it('a constant weight and bias, as exported linear layers are', () =>
    checkOp({ op: 'Gemm', inputs: [uniform(r, [2, 6]), { constant: uniform(r, [3, 6]) }, { constant: uniform(r, [3]) }], attrs: { transB: 1 } }));
});

describe('Gemm refusals', () => {
  it('names both contraction sizes', () => {
    expect(() => resolveOne('Gemm', [[3, 5], [4, 5]])).toThrow(/A \[3,5\] has 5 columns, but B \[4,5\] has 4 rows/);
    expect(() => resolveOne('Gemm', [[3, 5], [5, 4]], { transA: int(1) })).toThrow(/\(transposed\) has 3 columns/);
  });
  it('refuses a C that does not broadcast to [M, N]', () => {
    expect(() => resolveOne('Gemm', [[3, 5], [5, 4], [3]])).toThrow(/C \[3\] cannot be broadcast to the product's shape \[3,4\]/);
    expect(() => resolveOne('Gemm', [[3, 5], [5, 4], [1, 3, 4]])).toThrow(/C \[1,3,4\] cannot be broadcast/);
  });
  it('refuses operands that are not matrices', () => {
    expect(() => resolveOne('Gemm', [[2, 3, 5], [5, 4]])).toThrow(/must both be matrices/);
  });
});
