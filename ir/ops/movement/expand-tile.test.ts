import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp, type InputSpec } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

const ints = (xs: readonly number[]): InputSpec => ({ constant: tensorOf('int64', [xs.length], xs) });

describe('Expand', () => {
  const r = rng(70);
  const cases: [number[], number[]][] = [
    [[3, 1], [2, 1, 4]],
    [[2, 3, 4], [3, 1]],
    [[1, 4], [3, 1]],
    [[2, 1, 3], [1, 4, 1]],
    [[], [2, 2]],
    [[3], [1]],
  ];
  for (const [from, shape] of cases) {
    it(`[${from}] with shape [${shape}]`, async () => {
      await checkOp({ op: 'Expand', inputs: [uniform(r, from), ints(shape)] });
    });
  }
  it('int64 data', async () => {
    await checkOp({ op: 'Expand', inputs: [integers(r, [2, 1], -9, 9), ints([2, 3])] });
  });
  it('refuses shapes that do not broadcast', () => {
    expect(() => resolveGraph(oneNodeModel('Expand', [uniform(r, [2, 3]), ints([4, 3])]))).toThrow(/\[2,3\] and \[4,3\] cannot be broadcast/);
  });
});

describe('Tile', () => {
  const r = rng(71);
  const cases: [number[], number[]][] = [
    [[2, 3], [2, 1]],
    [[1, 3, 2], [3, 2, 2]],
    [[4], [3]],
    [[2, 3], [0, 2]],
  ];
  for (const [shape, repeats] of cases) {
    it(`[${shape}] repeated [${repeats}]`, async () => {
      await checkOp({ op: 'Tile', inputs: [uniform(r, shape), ints(repeats)] });
    });
  }
  it('bool data', async () => {
    await checkOp({ op: 'Tile', inputs: [integers(r, [2, 2], 0, 2, 'bool'), ints([2, 3])] });
  });
  it('refuses repeats of the wrong length', () => {
    expect(() => resolveGraph(oneNodeModel('Tile', [uniform(r, [2, 3]), ints([2])]))).toThrow(/one entry per axis/);
  });
});
