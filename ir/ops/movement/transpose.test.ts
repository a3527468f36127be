import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

describe('Transpose', () => {
  const r = rng(20);
  const cases: [number[], number[] | null][] = [
    [[5], null],
    [[3, 4], null],
    [[3, 4], [0, 1]],
    [[2, 3, 4], [0, 2, 1]],
    [[2, 3, 4], [2, 0, 1]],
    [[2, 3, 4], null],
    [[2, 3, 4, 5], [0, 2, 3, 1]],
    [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[2, 3, 1, 2, 3], [4, 0, 3, 1, 2]],
    [[2, 3, 1, 2, 3], null],
  ];
  for (const [shape, perm] of cases) {
    it(`[${shape}] with perm ${perm ? `[${perm}]` : 'reversed'}`, async () => {
      await checkOp({ op: 'Transpose', inputs: [uniform(r, shape)], attrs: perm ? { perm } : {} });
    });
  }
  it('int64 data', async () => {
    await checkOp({ op: 'Transpose', inputs: [integers(r, [3, 4], -9, 9)], attrs: { perm: [1, 0] } });
  });
  it('refuses a perm that is not a permutation', () => {
    expect(() => resolveGraph(oneNodeModel('Transpose', [uniform(r, [2, 3])], { perm: [0, 0] }))).toThrow(/perm \[0,0\] is not a permutation/);
  });
});
