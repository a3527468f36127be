import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

const shape = (...d: number[]) => ({ constant: tensorOf('int64', [d.length], d) });

describe('Reshape', () => {
  const r = rng(10);
  const cases: [number[], number[]][] = [
    [[2, 3, 4], [0, -1]],
    [[2, 3, 4], [0, 4, -1]],
    [[2, 3, 4], [-1]],
    [[2, 3, 4], [4, 1, 3, 2]],
    [[1], []],
    [[], [1, 1]],
  ];
  for (const [from, to] of cases) {
    it(`[${from}] with shape [${to}]`, async () => {
      await checkOp({ op: 'Reshape', inputs: [uniform(r, from), shape(...to)] });
    });
  }
  it('allowzero=1 makes 0 a zero-size dimension', async () => {
    await checkOp({ op: 'Reshape', inputs: [uniform(r, [0, 3]), shape(3, 0)], attrs: { allowzero: 1 } });
  });
  it('int64 data keeps its values', async () => {
    await checkOp({ op: 'Reshape', inputs: [integers(r, [2, 6], -1e6, 1e6), shape(3, -1)] });
  });
  it('refuses a different number of elements, naming both shapes', () => {
    const model = oneNodeModel('Reshape', [uniform(r, [2, 3]), shape(4, 2)]);
    expect(() => resolveGraph(model)).toThrow(/cannot reshape \[2,3\] \(6 elements\) to \[4,2\] \(8 elements\)/);
  });
  it('refuses a -1 that cannot be inferred and two -1s', () => {
    expect(() => resolveGraph(oneNodeModel('Reshape', [uniform(r, [2, 3]), shape(4, -1)]))).toThrow(/-1 cannot be inferred/);
    expect(() => resolveGraph(oneNodeModel('Reshape', [uniform(r, [2, 3]), shape(-1, -1)]))).toThrow(/more than one -1/);
  });
  it('refuses a shape computed at run time', () => {
    const model = oneNodeModel('Reshape', [uniform(r, [2, 3]), tensorOf('int64', [1], [6])]);
    expect(() => resolveGraph(model)).toThrow(/shape \('in1'\) must be known at compile time/);
  });
});

describe('Flatten', () => {
  const r = rng(11);
  for (const axis of [0, 1, 2, 3, -1, -3]) {
    it(`axis ${axis} on [2,3,4]`, async () => {
      await checkOp({ op: 'Flatten', inputs: [uniform(r, [2, 3, 4])], attrs: { axis } });
    });
  }
  it('refuses an axis beyond the rank', () => {
    expect(() => resolveGraph(oneNodeModel('Flatten', [uniform(r, [2, 3])], { axis: 3 }))).toThrow(/axis 3 is out of range/);
  });
});

describe('Squeeze and Unsqueeze', () => {
  const r = rng(12);
  const axes = (...a: number[]) => ({ constant: tensorOf('int64', [a.length], a) });
  it('Squeeze without axes drops every 1', async () => {
    await checkOp({ op: 'Squeeze', inputs: [uniform(r, [1, 3, 1, 2])] });
  });
  it('Squeeze with negative axes', async () => {
    await checkOp({ op: 'Squeeze', inputs: [uniform(r, [1, 3, 1, 2]), axes(-2, 0)] });
  });
  it('Squeeze to a scalar', async () => {
    await checkOp({ op: 'Squeeze', inputs: [uniform(r, [1, 1])] });
  });
  for (const a of [[0], [-1], [1, 3], [0, -1], [-4, -2]]) {
    it(`Unsqueeze [2,3] at axes [${a}]`, async () => {
      await checkOp({ op: 'Unsqueeze', inputs: [uniform(r, [2, 3]), axes(...a)] });
    });
  }
  it('Squeeze refuses an axis whose size is not 1', () => {
    expect(() => resolveGraph(oneNodeModel('Squeeze', [uniform(r, [1, 3]), axes(1)]))).toThrow(/cannot squeeze axis 1 of shape \[1,3\]: its size is 3/);
  });
  it('Unsqueeze refuses repeated axes', () => {
    expect(() => resolveGraph(oneNodeModel('Unsqueeze', [uniform(r, [3]), axes(0, -3)]))).toThrow(/repeat an axis/);
  });
});
