import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase } from '../../testing/freight-only.js';

describe('unary math', () => {
  const r = rng(10);
  // Each operator over a domain where it is defined and well conditioned.
  const domains: Record<string, readonly [number, number]> = {
    Abs: [-3, 3], Neg: [-3, 3], Sign: [-3, 3], Sqrt: [0, 9], Exp: [-5, 5], Log: [0.01, 10],
    Reciprocal: [0.2, 4], Erf: [-3, 3], Tanh: [-4, 4], Sigmoid: [-8, 8], Sin: [-6, 6], Cos: [-6, 6],
    Floor: [-5, 5], Ceil: [-5, 5], Round: [-5, 5], Softplus: [-10, 10], Softsign: [-5, 5],
  };
  for (const [op, [lo, hi]] of Object.entries(domains)) {
    it(`${op} on float32 [2,3,4]`, async () => {
      await checkOp({ op, inputs: [uniform(r, [2, 3, 4], lo, hi)] });
    });
  }
  for (const op of ['Abs', 'Neg', 'Sign']) {
    for (const dtype of ['int32', 'int64'] as const) {
      it(`${op} on ${dtype}`, async () => {
        await checkOp({ op, inputs: [integers(r, [3, 4], -9, 9, dtype)] });
      });
    }
  }
  it('Round rounds halves to even', async () => {
    await checkOp({ op: 'Round', inputs: [tensorOf('float32', [8], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6])] });
  });
  it('Softplus does not overflow for large inputs', async () => {
    await checkOp({ op: 'Softplus', inputs: [tensorOf('float32', [6], [-1000, -100, -20, 20, 100, 1000])] });
  });
  it('IsNaN finds NaNs, not infinities', async () => {
    await checkOp({ op: 'IsNaN', inputs: [tensorOf('float32', [2, 2], [NaN, 1, Infinity, -Infinity])] });
  });
  it('Sign, Abs and Neg keep NaN and zero', async () => {
    for (const op of ['Sign', 'Abs', 'Neg']) await checkOp({ op, inputs: [tensorOf('float32', [3], [NaN, 0, -2])], legsExempt: 'WGSL does not guarantee NaN propagation (SwiftShader drops it)' });
  });
  it('Exp of a scalar', async () => {
    await checkOp({ op: 'Exp', inputs: [uniform(r, [])] });
  });
  it('refuses Sqrt of int64', () => {
    expect(() => resolveCase({ op: 'Sqrt', inputs: [integers(r, [2], 0, 4)] }))
      .toThrow(/\(Sqrt\): the input has dtype int64, but the operator accepts only float32/);
  });
  it('refuses Abs of bool and a second input', () => {
    expect(() => resolveCase({ op: 'Abs', inputs: [tensorOf('bool', [1], [1])] })).toThrow(/dtype bool/);
    expect(() => resolveCase({ op: 'Abs', inputs: [uniform(r, [1]), uniform(r, [1])] })).toThrow(/takes 1/);
  });
});
