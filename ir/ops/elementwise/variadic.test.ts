import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase } from '../../testing/freight-only.js';

describe('variadic operators', () => {
  const r = rng(70);
  for (const op of ['Sum', 'Mean', 'Min', 'Max']) {
    it(`${op} of three inputs broadcasts [2,3,4], [3,1], [4]`, async () => {
      await checkOp({ op, inputs: [uniform(r, [2, 3, 4]), uniform(r, [3, 1]), uniform(r, [4])] });
    });
    it(`${op} of one input`, async () => {
      await checkOp({ op, inputs: [uniform(r, [2, 3])] });
    });
    it(`${op} of two scalars and a constant`, async () => {
      await checkOp({ op, inputs: [uniform(r, []), uniform(r, []), { constant: uniform(r, [2]) }] });
    });
  }
  for (const op of ['Min', 'Max']) {
    for (const dtype of ['int32', 'int64'] as const) {
      it(`${op} on ${dtype}`, async () => {
        await checkOp({ op, inputs: [integers(r, [2, 3], -9, 9, dtype), integers(r, [3], -9, 9, dtype), integers(r, [2, 1], -9, 9, dtype)] });
      });
    }
    it(`${op} propagates NaN`, async () => {
      await checkOp({ op, inputs: [tensorOf('float32', [3], [NaN, 1, 2]), tensorOf('float32', [3], [0, NaN, 3])], legsExempt: 'WGSL does not guarantee NaN propagation (SwiftShader drops it)' });
    });
  }
  it('refuses Sum of int64, which ONNX defines for floats only', () => {
    expect(() => resolveCase({ op: 'Sum', inputs: [integers(r, [2], 0, 3), integers(r, [2], 0, 3)] }))
      .toThrow(/\(Sum\): the inputs have dtype int64, but the operator accepts only float32/);
  });
  it('refuses mixed dtypes, no inputs, and an omitted input', () => {
    expect(() => resolveCase({ op: 'Max', inputs: [uniform(r, [2]), uniform(r, [2]), integers(r, [2], 0, 3, 'int32')] }))
      .toThrow(/different dtypes \(float32 and int32\)/);
    expect(() => resolveCase({ op: 'Mean', inputs: [] })).toThrow(/it has 0 inputs; the operator takes at least 1/);
    expect(() => resolveCase({ op: 'Min', inputs: [uniform(r, [2]), null, uniform(r, [2])] })).toThrow(/required input 1 is missing/);
  });
});
