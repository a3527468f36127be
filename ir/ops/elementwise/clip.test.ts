import { describe, expect, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { scalar, tensorOf } from '../../tensor.js';
import { resolveCase } from '../../testing/freight-only.js';

describe('Clip', () => {
  const r = rng(80);
  const x = () => uniform(r, [2, 3, 4], -3, 3);
  const k = (v: number) => ({ constant: scalar('float32', v) });
  it('constant min and max become attributes', async () => {
    await checkOp({ op: 'Clip', inputs: [x(), k(-1), k(1.5)] });
    const g = resolveCase({ op: 'Clip', inputs: [x(), k(-1), k(1.5)] });
    expect(g.nodes[0].attrs).toEqual({ min: -1, max: 1.5 });
    expect(g.nodes[0].inputs).toEqual(['in0', '', '']);
  });
  it('only min, only max, and neither', async () => {
    await checkOp({ op: 'Clip', inputs: [x(), k(0)] });
    await checkOp({ op: 'Clip', inputs: [x(), null, k(0.5)] });
    await checkOp({ op: 'Clip', inputs: [x()] });
  });
  it('bounds known only at run time are read by the map', async () => {
    await checkOp({ op: 'Clip', inputs: [x(), scalar('float32', -0.5), scalar('float32', 2)] });
    await checkOp({ op: 'Clip', inputs: [x(), k(-2), scalar('float32', 0.25)] });
    await checkOp({ op: 'Clip', inputs: [x(), null, tensorOf('float32', [1], [0.25])] });
  });
  it('min above max clips everything to max', async () => {
    await checkOp({ op: 'Clip', inputs: [x(), k(2), k(1)] });
  });
  it('infinite bounds and one-element bounds of rank 1', async () => {
    await checkOp({ op: 'Clip', inputs: [x(), k(-Infinity), k(Infinity)] });
    await checkOp({ op: 'Clip', inputs: [x(), { constant: tensorOf('float32', [1], [-1]) }, { constant: tensorOf('float32', [1], [1]) }] });
  });
  it('int64 and int32 inputs with integer bounds', async () => {
    await checkOp({ op: 'Clip', inputs: [integers(r, [3, 4], -10, 10), { constant: scalar('int64', -3) }, { constant: scalar('int64', 4) }] });
    await checkOp({ op: 'Clip', inputs: [integers(r, [5], -10, 10, 'int32'), scalar('int32', -3)] });
  });
  it('opset 10 attributes arrive as constant inputs', async () => {
    await checkOp({ op: 'Clip', inputs: [x()], attrs: { min: f(-1), max: f(2) }, opset: 10 });
    await checkOp({ op: 'Clip', inputs: [x()], attrs: { max: f(0) }, opset: 10 });
  });
  it('keeps NaN', async () => {
    await checkOp({ op: 'Clip', inputs: [tensorOf('float32', [2], [NaN, 5]), k(0), k(1)], legsExempt: 'WGSL does not guarantee NaN propagation (SwiftShader drops it)' });
  });
  it('refuses a bound with more than one element, or of another dtype', () => {
    expect(() => resolveCase({ op: 'Clip', inputs: [x(), { constant: tensorOf('float32', [2], [0, 1]) }] }))
      .toThrow(/\(Clip\): its min must be a scalar, but has shape \[2\]/);
    expect(() => resolveCase({ op: 'Clip', inputs: [x(), null, scalar('int64', 1)] }))
      .toThrow(/its max has dtype int64, but the input has dtype float32/);
  });
  it('refuses a bool input', () => {
    expect(() => resolveCase({ op: 'Clip', inputs: [tensorOf('bool', [1], [1])] })).toThrow(/dtype bool/);
  });
});
