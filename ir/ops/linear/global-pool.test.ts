import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { int, resolveOne } from '../../testing/freight-only.js';

const r = rng('global-pool');

for (const op of ['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']) {
  describe(op, () => {
    it('2-D', async () => {
      const { loop } = await checkOp({ op, inputs: [uniform(r, [2, 4, 7, 7])] });
      expect(loop[0].shape).toEqual([2, 4, 1, 1]);
    });
    it('1-D and 3-D', async () => {
      await checkOp({ op, inputs: [uniform(r, [2, 3, 5])] });
      await checkOp({ op, inputs: [uniform(r, [1, 2, 3, 4, 2])] });
    });
    it('spatial size 1', () => checkOp({ op, inputs: [uniform(r, [2, 3, 1, 1])] }));
  });
}

describe('GlobalLpPool p', () => {
  it('p 1 and 3', async () => {
    await checkOp({ op: 'GlobalLpPool', inputs: [uniform(r, [2, 3, 4, 4])], attrs: { p: 1 } });
    await checkOp({ op: 'GlobalLpPool', inputs: [uniform(r, [2, 3, 4, 4])], attrs: { p: 3 } });
  });
  it('refuses inputs without spatial axes and p < 1', () => {
    expect(() => resolveOne('GlobalAveragePool', [[2, 3]])).toThrow(/at least one spatial axis/);
    expect(() => resolveOne('GlobalLpPool', [[2, 3, 4]], { p: int(0) })).toThrow(/p 0 must be a positive integer/);
  });
});
