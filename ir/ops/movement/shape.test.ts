import { describe, expect, it } from 'vitest';
import type { Graph } from '../../graph.js';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { resolveGraph } from '../../resolve.js';
import { tensorOf } from '../../tensor.js';
import { checkOp } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { expectSame, oneNodeModel } from './one-node.js';

describe('Shape and Size', () => {
  const r = rng(100);
  const bounds: [number | null, number | null][] = [[null, null], [1, null], [-2, null], [1, -1], [-10, 10], [2, 1], [0, 2]];
  for (const [start, end] of bounds) {
    it(`Shape with start ${start} and end ${end}`, async () => {
      const attrs = { ...(start === null ? {} : { start }), ...(end === null ? {} : { end }) };
      await checkOp({ op: 'Shape', inputs: [uniform(r, [2, 3, 4])], attrs });
    });
  }
  it('Shape always folds, even of a runtime input', () => {
    const g = resolveGraph(oneNodeModel('Shape', [uniform(r, [2, 3])]));
    expect(g.nodes).toHaveLength(0);
    expectSame(g.constants.get('out0')!, tensorOf('int64', [2], [2, 3]));
  });
  it('Shape of a scalar is empty', async () => {
    await checkOp({ op: 'Shape', inputs: [uniform(r, [])] });
  });
  for (const shape of [[2, 3, 4], [], [3, 0]]) {
    it(`Size of [${shape}]`, async () => {
      await checkOp({ op: 'Size', inputs: [uniform(r, shape)] });
    });
  }
  it('the lowering writes the values as constants', () => {
    const graph: Graph = {
      name: 'shape', opset: 21, producer: 'test', inputs: ['x'], outputs: ['s', 'n'],
      values: new Map([
        ['x', { dtype: 'float32', shape: [2, 3, 4] }],
        ['s', { dtype: 'int64', shape: [2] }],
        ['n', { dtype: 'int64', shape: [] }],
      ]),
      constants: new Map(),
      nodes: [
        { name: 'shape', op: 'Shape', attrs: { start: 1, end: null }, inputs: ['x'], outputs: ['s'] },
        { name: 'size', op: 'Size', attrs: {}, inputs: ['x'], outputs: ['n'] },
      ],
    };
    const out = runProgram(lowerGraph(graph), { x: uniform(r, [2, 3, 4]) });
    expectSame(out.get('s')!, tensorOf('int64', [2], [3, 4]));
    expectSame(out.get('n')!, tensorOf('int64', [], [24]));
  });
});
