import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp, type InputSpec } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

const MAX = 9223372036854775807;
const MIN = -9223372036854775808;
const ints = (xs: readonly number[]): InputSpec => ({ constant: tensorOf('int64', [xs.length], xs) });

describe('Slice', () => {
  const r = rng(50);
  // [starts, ends, steps] on axis 0 of a [7, 3] tensor.
  const oneAxis: [number, number, number][] = [
    [1, 5, 1], [-5, -1, 1], [1, -2, 1], [-6, 6, 1],
    [0, 7, 2], [1, -1, 2], [-7, 6, 2],
    [6, 0, -1], [-1, -6, -2], [5, 1, -2], [-2, -8, -2],
    [0, MAX, 1], [MIN, MAX, 2], [-1, MIN, -1], [MAX, MIN, -2], [MAX, 0, -1],
    [-100, 100, 1], [100, -100, -1], [4, 2, 1], [2, 4, -1], [7, 9, 1],
  ];
  for (const [start, end, step] of oneAxis) {
    it(`starts ${start} ends ${end} step ${step}`, async () => {
      await checkOp({ op: 'Slice', inputs: [uniform(r, [7, 3]), ints([start]), ints([end]), ints([0]), ints([step])] });
    });
  }
  it('several axes, negative axes, mixed signs on 3-D', async () => {
    await checkOp({
      op: 'Slice',
      inputs: [uniform(r, [5, 6, 7]), ints([-1, 1, 6]), ints([0, -1, MIN]), ints([-1, 1, 0]), ints([-2, 2, -3])],
    });
  });
  it('axes and steps omitted', async () => {
    await checkOp({ op: 'Slice', inputs: [integers(r, [4, 5], -9, 9), ints([1, -3]), ints([3, 100])] });
  });
  it('steps omitted, axes given', async () => {
    await checkOp({ op: 'Slice', inputs: [uniform(r, [4, 5]), ints([1]), ints([-1]), ints([-1])] });
  });
  it('refuses a step of 0', () => {
    const model = oneNodeModel('Slice', [uniform(r, [4]), ints([0]), ints([4]), ints([0]), ints([0])]);
    expect(() => resolveGraph(model)).toThrow(/step for axis 0 is 0/);
  });
  it('refuses starts and ends of different lengths', () => {
    const model = oneNodeModel('Slice', [uniform(r, [4, 4]), ints([0, 1]), ints([4])]);
    expect(() => resolveGraph(model)).toThrow(/different lengths/);
  });
});
