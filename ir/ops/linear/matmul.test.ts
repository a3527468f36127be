import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { toNumbers } from '../../tensor.js';
import { resolveOne } from '../../testing/freight-only.js';

const r = rng('matmul');
const matmul = (a: number[], b: number[]) => checkOp({ op: 'MatMul', inputs: [uniform(r, a), uniform(r, b)] });

describe('MatMul', () => {
  it('matrix × matrix', () => matmul([3, 5], [5, 4]));
  it('vector × vector gives a scalar', async () => {
    const { loop } = await matmul([6], [6]);
    expect(loop[0].shape).toEqual([]);
  });
  it('vector × matrix drops the promoted row', async () => {
    const { loop } = await matmul([5], [5, 3]);
    expect(loop[0].shape).toEqual([3]);
  });
  it('matrix × vector drops the promoted column', async () => {
    const { loop } = await matmul([4, 5], [5]);
    expect(loop[0].shape).toEqual([4]);
  });
  it('batched × vector', () => matmul([2, 3, 4, 5], [5]));
  it('vector × batched', () => matmul([4], [2, 3, 4, 5]));
  it('batch × matrix broadcasts the matrix', () => matmul([2, 3, 4, 5], [5, 2]));
  it('batch axes broadcast both ways', () => matmul([2, 1, 3, 4], [1, 5, 4, 2]));
  it('different batch ranks', () => matmul([2, 3, 4], [3, 1, 4, 5]));
  it('size-1 and empty-contraction edge cases', async () => {
    await matmul([1, 1], [1, 1]);
    const { loop } = await matmul([2, 0], [0, 3]);
    expect(Array.from(toNumbers(loop[0]))).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('int64 and int32 are exact', async () => {
    await checkOp({ op: 'MatMul', inputs: [integers(r, [2, 3, 4], -50, 50), integers(r, [4, 2], -50, 50)] });
    await checkOp({ op: 'MatMul', inputs: [integers(r, [3, 4], -50, 50, 'int32'), integers(r, [4], -50, 50, 'int32')] });
  });
  it('a constant weight', () => checkOp({ op: 'MatMul', inputs: [uniform(r, [2, 3, 4]), { constant: uniform(r, [4, 5]) }] }));
});

describe('MatMul refusals', () => {
  it('names both contraction sizes', () => {
    expect(() => resolveOne('MatMul', [[2, 3], [4, 5]])).toThrow(/A \[2,3\] has 3 columns, but B \[4,5\] has 4 rows/);
    expect(() => resolveOne('MatMul', [[3], [4]])).toThrow(/A \[3\] has 3 columns, but B \[4\] has 4 rows/);
  });
  it('refuses batch axes that do not broadcast', () => {
    expect(() => resolveOne('MatMul', [[2, 3, 4], [3, 4, 5]])).toThrow(/cannot be broadcast/);
  });
  it('refuses scalars', () => {
    expect(() => resolveOne('MatMul', [[], [3]])).toThrow(/takes no scalars/);
  });
});
