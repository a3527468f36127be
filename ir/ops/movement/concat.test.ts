import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

describe('Concat', () => {
  const r = rng(30);
  for (const axis of [0, 1, 2, -1, -2, -3]) {
    it(`three inputs on axis ${axis}`, async () => {
      const a = axis < 0 ? axis + 3 : axis;
      const shapes = [1, 3, 2].map((k) => [2, 3, 4].map((d, i) => (i === a ? k : d)));
      await checkOp({ op: 'Concat', inputs: shapes.map((s) => uniform(r, s)), attrs: { axis } });
    });
  }
  it('a zero-size input contributes nothing', async () => {
    await checkOp({ op: 'Concat', inputs: [uniform(r, [2, 2]), uniform(r, [2, 0]), uniform(r, [2, 3])], attrs: { axis: 1 } });
  });
  it('int64 inputs, one of them constant', async () => {
    await checkOp({ op: 'Concat', inputs: [integers(r, [2], -5, 5), { constant: integers(r, [3], -5, 5) }], attrs: { axis: 0 } });
  });
  it('refuses inputs whose other dimensions differ', () => {
    const model = oneNodeModel('Concat', [uniform(r, [2, 3]), uniform(r, [3, 3])], { axis: 1 });
    expect(() => resolveGraph(model)).toThrow(/inputs \[2,3\], \[3,3\] differ outside axis 1/);
  });
  it('refuses an axis out of range', () => {
    expect(() => resolveGraph(oneNodeModel('Concat', [uniform(r, [2, 3])], { axis: 2 }))).toThrow(/axis 2 is out of range/);
  });
});
