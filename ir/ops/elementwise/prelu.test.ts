import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { resolveCase, runFreight } from '../../testing/freight-only.js';

describe('PRelu', () => {
  const r = rng(40);
  it('one slope per channel, [C,1,1] against [N,C,H,W]', async () => {
    await checkOp({ op: 'PRelu', inputs: [uniform(r, [2, 3, 2, 2]), uniform(r, [3, 1, 1], 0, 0.5)] });
  });
  it('a single slope, and a slope of the full shape', async () => {
    await checkOp({ op: 'PRelu', inputs: [uniform(r, [2, 5]), uniform(r, [1], 0, 0.5)] });
    await checkOp({ op: 'PRelu', inputs: [uniform(r, [2, 5]), { constant: uniform(r, [2, 5], -1, 1) }] });
  });
  it('on int64, which ONNX allows and ONNX Runtime has no kernel for', () => {
    const { reference, loop } = runFreight({ op: 'PRelu', inputs: [tensorOf('int64', [2, 2], [-3, 2, -1, 4]), tensorOf('int64', [2], [2, 3])] });
    for (const t of [reference[0], loop[0]]) expect(t).toEqual(tensorOf('int64', [2, 2], [-6, 2, -2, 4]));
  });
  it('refuses a slope that would widen the output', () => {
    expect(() => resolveCase({ op: 'PRelu', inputs: [uniform(r, [2, 1]), uniform(r, [3])] }))
      .toThrow(/slope of shape \[3\] does not broadcast to the input's shape \[2,1\]/);
  });
});
