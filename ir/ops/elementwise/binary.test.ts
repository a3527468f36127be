import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase } from '../../testing/freight-only.js';

describe('binary arithmetic', () => {
  const r = rng(1);
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    it(`${op} broadcasts [2,3,4] with [3,1]`, async () => {
      await checkOp({ op, inputs: [uniform(r, [2, 3, 4]), uniform(r, [3, 1], 0.5, 2)] });
    });
    it(`${op} on int32 broadcasts a scalar`, async () => {
      await checkOp({ op, inputs: [integers(r, [2, 3], -20, 20, 'int32'), integers(r, [], 1, 5, 'int32')] });
    });
  }
  it('Div on int64 truncates toward zero', async () => {
    await checkOp({ op: 'Div', inputs: [tensorOf('int64', [6], [-7, 7, -7, 7, -1, 20]), tensorOf('int64', [6], [2, 2, -2, -2, 3, 7])] });
  });
  it('Add with a constant operand is folded or run', async () => {
    await checkOp({ op: 'Add', inputs: [uniform(r, [4]), { constant: uniform(r, [1]) }] });
  });
  it('Mul broadcasts both ways: [4,1] with [1,5], and empty tensors', async () => {
    await checkOp({ op: 'Mul', inputs: [uniform(r, [4, 1]), uniform(r, [1, 5])] });
    await checkOp({ op: 'Mul', inputs: [uniform(r, [0, 3]), uniform(r, [3])] });
  });
  it('Sub of two scalars', async () => {
    await checkOp({ op: 'Sub', inputs: [uniform(r, []), uniform(r, [])] });
  });
});

describe('Pow', () => {
  const r = rng(2);
  it('float32 base and exponent, broadcast', async () => {
    await checkOp({ op: 'Pow', inputs: [uniform(r, [2, 3], 0.1, 3), uniform(r, [3], -2, 2)] });
  });
  it('float32 base with an int64 exponent, negative bases included', async () => {
    await checkOp({ op: 'Pow', inputs: [uniform(r, [2, 4], -3, 3), tensorOf('int64', [4], [0, 1, 2, 3])] });
  });
  it('int64 base with a float32 exponent truncates the result', async () => {
    await checkOp({ op: 'Pow', inputs: [tensorOf('int64', [4], [2, 3, 4, 5]), tensorOf('float32', [4], [2, -1, 0.5, 1.5])] });
  });
  it('int32 base with an int64 exponent', async () => {
    await checkOp({ op: 'Pow', inputs: [integers(r, [3, 2], -4, 5, 'int32'), tensorOf('int64', [2], [2, 3])] });
  });
  it('refuses a bool exponent', () => {
    expect(() => resolveCase({ op: 'Pow', inputs: [uniform(r, [2]), tensorOf('bool', [2], [1, 0])] }))
      .toThrow(/the exponent has dtype bool/);
  });
});

describe('binary arithmetic refusals', () => {
  const r = rng(3);
  it('refuses Add of float32 and int64, naming both dtypes', () => {
    expect(() => resolveCase({ op: 'Add', inputs: [uniform(r, [2]), integers(r, [2], 0, 3)] }))
      .toThrow(/node 'node' \(Add\): inputs have different dtypes \(float32 and int64\)/);
  });
  it('refuses Mul of bools', () => {
    expect(() => resolveCase({ op: 'Mul', inputs: [tensorOf('bool', [1], [1]), tensorOf('bool', [1], [0])] }))
      .toThrow(/dtype bool, but the operator accepts only float32, int32, int64/);
  });
  it('refuses shapes that do not broadcast', () => {
    expect(() => resolveCase({ op: 'Sub', inputs: [uniform(r, [2, 3]), uniform(r, [2])] }))
      .toThrow(/shapes \[2,3\] and \[2\] cannot be broadcast/);
  });
  it('refuses a missing operand', () => {
    expect(() => resolveCase({ op: 'Div', inputs: [uniform(r, [2])] })).toThrow(/it has 1 input; the operator takes 2/);
    expect(() => resolveCase({ op: 'Div', inputs: [null, uniform(r, [2])] })).toThrow(/required input 0 is missing/);
  });
});
