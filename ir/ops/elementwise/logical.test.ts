import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { bools, rng, uniform } from '../../testing/random.js';
import { resolveCase } from '../../testing/freight-only.js';

describe('logical operators', () => {
  const r = rng(60);
  it('Not', async () => {
    await checkOp({ op: 'Not', inputs: [bools(r, [3, 4])] });
  });
  for (const op of ['And', 'Or', 'Xor']) {
    it(`${op} broadcasts [2,3,4] with [3,1]`, async () => {
      await checkOp({ op, inputs: [bools(r, [2, 3, 4]), bools(r, [3, 1])] });
    });
  }
  it('refuses And of float32', () => {
    expect(() => resolveCase({ op: 'And', inputs: [uniform(r, [2]), uniform(r, [2])] }))
      .toThrow(/\(And\): the inputs have dtype float32, but the operator accepts only bool/);
  });
});
