import { describe, expect, it } from 'vitest';
import { runReference } from '../../reference.js';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp, type InputSpec } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { expectSame, oneNodeModel, runUnfolded } from './one-node.js';

const ints = (xs: readonly number[]): InputSpec => ({ constant: tensorOf('int64', [xs.length], xs) });
const value = (x: number): InputSpec => ({ constant: tensorOf('float32', [], [x]) });

describe('Pad', () => {
  const r = rng(80);
  const cases: [number[], number[]][] = [
    [[2, 3, 4], [0, 1, 2, 1, 2, 3]],
    [[2, 3, 4], [1, 0, -1, 0, 2, 2]],
    [[1, 2, 4, 5], [0, 0, 3, 1, 0, 0, 2, 4]],
    [[1, 2, 4, 5], [0, 0, -1, 2, 0, 0, 2, -2]],
    [[2, 4, 4], [0, 0, 0, 0, 0, 0]],
  ];
  for (const mode of ['constant', 'reflect', 'edge', 'wrap']) {
    for (const [shape, pads] of cases) {
      it(`${mode} on [${shape}] with pads [${pads}]`, async () => {
        await checkOp({ op: 'Pad', inputs: [uniform(r, shape), ints(pads), mode === 'constant' ? value(2.5) : null], attrs: { mode } });
      });
    }
  }
  it('wrap and edge with pads beyond the axis length', async () => {
    await checkOp({ op: 'Pad', inputs: [uniform(r, [2, 3]), ints([0, 2, 2, 7])], attrs: { mode: 'wrap' } });
    await checkOp({ op: 'Pad', inputs: [uniform(r, [2, 3]), ints([2, 4, 1, 7])], attrs: { mode: 'edge' } });
  });
  it('wrap with a leading pad beyond the axis length goes round the torus', () => {
    // ONNX Runtime 1.30 reads out of bounds here, so the expectation is written out.
    const x = tensorOf('float32', [3], [0, 1, 2]);
    const model = oneNodeModel('Pad', [x, ints([4, 2])], { mode: 'wrap' });
    const expected = tensorOf('float32', [9], [2, 0, 1, 2, 0, 1, 2, 0, 1]);
    expectSame(runReference(resolveGraph(model), { in0: x }).get('out0')!, expected);
    expectSame(runUnfolded(model, { in0: x }).get('out0')!, expected);
  });
  it('reflect after cropping the other side', async () => {
    await checkOp({ op: 'Pad', inputs: [uniform(r, [6, 4]), ints([-2, 0, 3, 1])], attrs: { mode: 'reflect' } });
  });
  it('constant mode defaults to 0, on int64 data', async () => {
    await checkOp({ op: 'Pad', inputs: [integers(r, [3, 2], 1, 9), ints([1, 1, 0, 2])] });
  });
  it('a runtime constant_value', async () => {
    await checkOp({ op: 'Pad', inputs: [uniform(r, [3, 2]), ints([1, 0, 2, 1]), tensorOf('float32', [], [-7])] });
  });
  it('the axes input, with a negative axis', async () => {
    await checkOp({ op: 'Pad', inputs: [uniform(r, [2, 3, 4]), ints([1, 2, 0, 1]), value(1), ints([-1, 0])] });
    await checkOp({ op: 'Pad', inputs: [uniform(r, [2, 3, 4]), ints([2, 1]), null, ints([1])], attrs: { mode: 'reflect' } });
  });
  it('refuses an unknown mode', () => {
    expect(() => resolveGraph(oneNodeModel('Pad', [uniform(r, [2]), ints([1, 1])], { mode: 'mirror' }))).toThrow(/mode 'mirror' is not one of/);
  });
  it('refuses pads of the wrong length', () => {
    expect(() => resolveGraph(oneNodeModel('Pad', [uniform(r, [2, 2]), ints([1, 1])]))).toThrow(/two entries for each of its 2 axes/);
  });
  it('refuses reflecting further than the axis allows', () => {
    expect(() => resolveGraph(oneNodeModel('Pad', [uniform(r, [3]), ints([0, 3])], { mode: 'reflect' }))).toThrow(/'reflect' pads axis 0 by 3, but its 3 elements allow at most 2/);
  });
  it('refuses cropping more than an axis holds', () => {
    expect(() => resolveGraph(oneNodeModel('Pad', [uniform(r, [2, 2]), ints([0, -2, 0, -1])]))).toThrow(/remove more than the 2 elements of axis 1/);
  });
});
