import { describe, expect, it } from 'vitest';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { runReference } from '../../reference.js';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { expectSame, oneNodeModel } from './one-node.js';

const sizes = (...s: number[]) => ({ constant: tensorOf('int64', [s.length], s) });

describe('Split', () => {
  const r = rng(40);
  it('uneven sizes from the split input', async () => {
    await checkOp({ op: 'Split', inputs: [uniform(r, [2, 6, 3]), sizes(1, 3, 2)], attrs: { axis: 1 }, outputs: 3 });
  });
  it('a zero-size piece, on a negative axis', async () => {
    await checkOp({ op: 'Split', inputs: [uniform(r, [2, 5]), sizes(2, 0, 3)], attrs: { axis: -1 }, outputs: 3 });
  });
  it('equal pieces from the number of outputs', async () => {
    // Before opset 18 neither split nor num_outputs means equal pieces.
    await checkOp({ op: 'Split', inputs: [integers(r, [6, 2], -9, 9)], outputs: 3, opset: 13 });
  });
  for (const [n, k] of [[7, 3], [8, 4], [5, 2]]) {
    it(`num_outputs ${k} on an axis of ${n}`, async () => {
      await checkOp({ op: 'Split', inputs: [uniform(r, [3, n])], attrs: { axis: 1, num_outputs: k }, outputs: k });
    });
  }
  it('refuses sizes that do not add up', () => {
    const model = oneNodeModel('Split', [uniform(r, [6]), sizes(2, 2)], {}, 2);
    expect(() => resolveGraph(model)).toThrow(/split \[2,2\] does not add up to 6/);
  });
  it('refuses an uneven split without sizes', () => {
    expect(() => resolveGraph(oneNodeModel('Split', [uniform(r, [5])], {}, 2))).toThrow(/does not split evenly into 2 outputs/);
  });
});

describe('Split with an omitted output', () => {
  it('computes the others', async () => {
    const r = rng(41);
    const x = uniform(r, [5, 2]);
    const model = oneNodeModel('Split', [x, sizes(2, 3)], {}, 2);
    const node = model.graph.nodes[0];
    const withGap = { ...model, graph: { ...model.graph, nodes: [{ ...node, outputs: ['', 'out1'] }], outputs: [model.graph.outputs[1]] } };
    const g = resolveGraph(withGap);
    const expected = tensorOf('float32', [3, 2], Array.from(x.data as Float32Array).slice(4));
    expectSame(runReference(g, { in0: x }).get('out1')!, expected);
    expectSame(runProgram(lowerGraph(g), { in0: x }).get('out1')!, expected);
  });
});
