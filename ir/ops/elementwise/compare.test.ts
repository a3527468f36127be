import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase } from '../../testing/freight-only.js';

describe('comparisons', () => {
  const r = rng(50);
  for (const op of ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']) {
    // Small integers as floats, so that ties occur.
    it(`${op} on float32 broadcasts [2,3,4] with [4]`, async () => {
      await checkOp({ op, inputs: [integers(r, [2, 3, 4], -2, 3, 'float32'), integers(r, [4], -2, 3, 'float32')] });
    });
    it(`${op} on int64 and int32`, async () => {
      await checkOp({ op, inputs: [integers(r, [3, 1], -2, 3), integers(r, [1, 4], -2, 3)] });
      await checkOp({ op, inputs: [integers(r, [5], -2, 3, 'int32'), integers(r, [], -2, 3, 'int32')] });
    });
  }
  it('Equal on bools', async () => {
    await checkOp({ op: 'Equal', inputs: [tensorOf('bool', [2, 2], [1, 0, 1, 0]), tensorOf('bool', [2], [1, 1])] });
  });
  it('NaN compares unequal and unordered', async () => {
    const nan = tensorOf('float32', [3], [NaN, 1, NaN]);
    for (const op of ['Equal', 'Less', 'GreaterOrEqual']) await checkOp({ op, inputs: [nan, tensorOf('float32', [3], [NaN, NaN, 0])] });
  });
  it('refuses Less on bools and Equal of float32 with int64', () => {
    expect(() => resolveCase({ op: 'Less', inputs: [tensorOf('bool', [1], [1]), tensorOf('bool', [1], [0])] }))
      .toThrow(/\(Less\): the inputs have dtype bool/);
    expect(() => resolveCase({ op: 'Equal', inputs: [uniform(r, [2]), integers(r, [2], 0, 2)] }))
      .toThrow(/different dtypes \(float32 and int64\)/);
  });
});
