import { describe, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';

describe('binary arithmetic', () => {
  const r = rng(1);
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    it(`${op} broadcasts [2,3,4] with [3,1]`, async () => {
      await checkOp({ op, inputs: [uniform(r, [2, 3, 4]), uniform(r, [3, 1], 0.5, 2)] });
    });
  }
  it('Div on int64 truncates toward zero', async () => {
    await checkOp({ op: 'Div', inputs: [integers(r, [5], -20, 20), integers(r, [5], 1, 7)] });
  });
  it('Add with a constant operand is folded or run', async () => {
    await checkOp({ op: 'Add', inputs: [uniform(r, [4]), { constant: uniform(r, [1]) }] });
  });
});
