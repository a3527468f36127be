import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

describe('Gather', () => {
  const r = rng(60);
  for (const axis of [0, 1, -1]) {
    it(`axis ${axis}: 2-D indices with negative values`, async () => {
      await checkOp({ op: 'Gather', inputs: [uniform(r, [3, 4, 5]), integers(r, [2, 3], -3, 3)], attrs: { axis } });
    });
    it(`axis ${axis}: a runtime scalar index`, async () => {
      await checkOp({ op: 'Gather', inputs: [uniform(r, [3, 4, 5]), tensorOf('int64', [], [-2])], attrs: { axis } });
    });
    it(`axis ${axis}: a constant scalar index (affine read)`, async () => {
      await checkOp({ op: 'Gather', inputs: [uniform(r, [3, 4, 5]), { constant: tensorOf('int64', [], [-1]) }], attrs: { axis } });
    });
  }
  it('int32 indices into int64 data (an embedding lookup)', async () => {
    await checkOp({ op: 'Gather', inputs: [integers(r, [6, 3], -99, 99), integers(r, [2, 2], -6, 6, 'int32')] });
  });
  it('constant 1-D indices', async () => {
    await checkOp({ op: 'Gather', inputs: [uniform(r, [4, 3]), { constant: tensorOf('int64', [3], [3, -4, 0]) }], attrs: { axis: 0 } });
  });
  it('refuses a constant index out of range', () => {
    const model = oneNodeModel('Gather', [uniform(r, [4, 3]), { constant: tensorOf('int64', [], [4]) }]);
    expect(() => resolveGraph(model)).toThrow(/index 4 is out of range for an axis of size 4/);
  });
  it('refuses float indices', () => {
    expect(() => resolveGraph(oneNodeModel('Gather', [uniform(r, [4]), uniform(r, [2])]))).toThrow(/indices must be int32 or int64/);
  });
});

describe('GatherElements', () => {
  const r = rng(61);
  for (const axis of [0, 1, -1]) {
    it(`axis ${axis} with negative indices`, async () => {
      await checkOp({ op: 'GatherElements', inputs: [uniform(r, [3, 4]), integers(r, [2, 4], -3, 3)], attrs: { axis } });
    });
  }
  it('3-D, indices longer than the data on the axis', async () => {
    await checkOp({ op: 'GatherElements', inputs: [uniform(r, [2, 3, 2]), integers(r, [2, 5, 2], -3, 3)], attrs: { axis: 1 } });
  });
});

describe('GatherND', () => {
  const r = rng(62);
  it('full index tuples', async () => {
    await checkOp({ op: 'GatherND', inputs: [uniform(r, [3, 4]), tensorOf('int64', [3, 2], [0, 1, 2, -1, -3, 0])] });
  });
  it('partial tuples pick slices', async () => {
    await checkOp({ op: 'GatherND', inputs: [uniform(r, [3, 4, 2]), integers(r, [2, 2, 1], -3, 3)] });
  });
  it('batch_dims 1', async () => {
    await checkOp({ op: 'GatherND', inputs: [uniform(r, [2, 3, 4]), integers(r, [2, 5, 1], -3, 3)], attrs: { batch_dims: 1 } });
  });
  it('refuses tuples longer than the data rank', () => {
    expect(() => resolveGraph(oneNodeModel('GatherND', [uniform(r, [3]), integers(r, [1, 2], 0, 3)]))).toThrow(/do not index its data/);
  });
});
