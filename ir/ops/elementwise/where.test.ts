import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { bools, integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase, runFreight } from '../../testing/freight-only.js';

describe('Where', () => {
  const r = rng(90);
  it('broadcasts condition, x and y against each other', async () => {
    await checkOp({ op: 'Where', inputs: [bools(r, [3, 1]), uniform(r, [2, 1, 4]), uniform(r, [4])] });
  });
  it('selects int64 and int32 values', async () => {
    await checkOp({ op: 'Where', inputs: [bools(r, [2, 3]), integers(r, [2, 3], -9, 9), integers(r, [], -9, 9)] });
    await checkOp({ op: 'Where', inputs: [bools(r, [4]), integers(r, [4], -9, 9, 'int32'), integers(r, [4], -9, 9, 'int32')] });
  });
  it('selects bool values, which ONNX allows and ONNX Runtime has no kernel for', () => {
    const b = (xs: number[]) => tensorOf('bool', [xs.length], xs);
    const { reference, loop } = runFreight({ op: 'Where', inputs: [b([1, 0, 1, 0]), b([1, 1, 0, 0]), b([0])] });
    for (const t of [reference[0], loop[0]]) expect(t).toEqual(b([1, 0, 0, 0]));
  });
  it('refuses a float32 condition and x, y of different dtypes', () => {
    expect(() => resolveCase({ op: 'Where', inputs: [uniform(r, [2]), uniform(r, [2]), uniform(r, [2])] }))
      .toThrow(/\(Where\): the condition has dtype float32, but the operator accepts only bool/);
    expect(() => resolveCase({ op: 'Where', inputs: [bools(r, [2]), uniform(r, [2]), integers(r, [2], 0, 2)] }))
      .toThrow(/different dtypes \(float32 and int64\)/);
  });
});
