import { describe, expect, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase, runFreight, str } from '../../testing/freight-only.js';

describe('activations', () => {
  const r = rng(20);
  const x = () => uniform(r, [2, 3, 4], -4, 4);
  for (const op of ['Relu', 'LeakyRelu', 'Elu', 'Selu', 'Celu', 'ThresholdedRelu', 'HardSigmoid', 'HardSwish', 'Mish', 'Gelu']) {
    it(`${op} with default attributes`, async () => {
      await checkOp({ op, inputs: [x()] });
    });
  }
  it('LeakyRelu alpha', async () => {
    await checkOp({ op: 'LeakyRelu', inputs: [x()], attrs: { alpha: f(0.3) } });
  });
  it('Elu alpha', async () => {
    await checkOp({ op: 'Elu', inputs: [x()], attrs: { alpha: f(0.5) } });
  });
  it('Selu alpha and gamma', async () => {
    await checkOp({ op: 'Selu', inputs: [x()], attrs: { alpha: f(2), gamma: f(0.5) } });
  });
  it('Celu alpha', async () => {
    await checkOp({ op: 'Celu', inputs: [x()], attrs: { alpha: f(2.5) } });
  });
  it('ThresholdedRelu alpha, including negative thresholds', async () => {
    await checkOp({ op: 'ThresholdedRelu', inputs: [x()], attrs: { alpha: f(-0.5) } });
    await checkOp({ op: 'ThresholdedRelu', inputs: [tensorOf('float32', [3], [1, 1.5, 2])], attrs: { alpha: f(1.5) } });
  });
  it('HardSigmoid alpha and beta', async () => {
    await checkOp({ op: 'HardSigmoid', inputs: [x()], attrs: { alpha: f(0.5), beta: f(0.25) } });
  });
  it('HardSwish at its corners', async () => {
    await checkOp({ op: 'HardSwish', inputs: [tensorOf('float32', [5], [-4, -3, 0, 3, 4])] });
  });
  it('Gelu, exact and tanh-approximated', async () => {
    await checkOp({ op: 'Gelu', inputs: [x()], attrs: { approximate: 'none' } });
    await checkOp({ op: 'Gelu', inputs: [x()], attrs: { approximate: 'tanh' } });
  });
  it('Mish for large inputs', async () => {
    await checkOp({ op: 'Mish', inputs: [tensorOf('float32', [6], [-1000, -50, -10, 10, 50, 1000])] });
  });
  it('Relu on int32', async () => {
    await checkOp({ op: 'Relu', inputs: [integers(r, [3, 4], -5, 5, 'int32')] });
  });
  it('Relu on int64, which ONNX allows and ONNX Runtime has no kernel for', () => {
    const { reference, loop } = runFreight({ op: 'Relu', inputs: [tensorOf('int64', [4], [-3, 0, 2, -1])] });
    for (const t of [reference[0], loop[0]]) expect(t).toEqual(tensorOf('int64', [4], [0, 0, 2, 0]));
  });
  it('refuses LeakyRelu of int32', () => {
    expect(() => resolveCase({ op: 'LeakyRelu', inputs: [integers(r, [2], 0, 3, 'int32')] }))
      .toThrow(/\(LeakyRelu\): the input has dtype int32, but the operator accepts only float32/);
  });
  it("refuses Gelu approximate 'fast'", () => {
    expect(() => resolveCase({ op: 'Gelu', inputs: [x()], attrs: { approximate: str('fast') } }))
      .toThrow(/approximate is 'fast'; it must be 'none' or 'tanh'/);
  });
});
