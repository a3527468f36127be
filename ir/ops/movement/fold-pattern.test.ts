// The exporter's dynamic-reshape pattern, x → Shape → Gather(0) → Unsqueeze → Concat([-1]) →
// Reshape(x, ·), must fold to a single Reshape whose shape is a constant, and run correctly.

import { describe, expect, it } from 'vitest';
import type { DeclaredDim, RawModel, RawNode } from '../../graph.js';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { runReference } from '../../reference.js';
import { resolveGraph } from '../../resolve.js';
import { tensorOf, type Tensor } from '../../tensor.js';
import { rng, uniform } from '../../testing/random.js';
import { expectSame } from './one-node.js';

const node = (op: string, inputs: string[], outputs: string[], axis?: number): RawNode => ({
  name: op.toLowerCase(), op, domain: '', inputs, outputs, attrs: axis === undefined ? {} : { axis: { kind: 'int', value: axis } },
});

/** y = Reshape(x, [batch, -1]), optionally followed by a Transpose so that the Reshape is internal. */
function exporterModel(xShape: readonly DeclaredDim[], transposeAfter: boolean): RawModel {
  const nodes = [
    node('Shape', ['x'], ['s']),
    node('Gather', ['s', 'zero'], ['batch'], 0),
    node('Unsqueeze', ['batch', 'axes0'], ['batch1']),
    node('Concat', ['batch1', 'minus1'], ['target'], 0),
    node('Reshape', ['x', 'target'], [transposeAfter ? 'r' : 'y']),
    ...(transposeAfter ? [node('Transpose', ['r'], ['y'])] : []),
  ];
  return {
    opset: 21, irVersion: 8, producer: 'exporter-pattern',
    graph: {
      name: 'exporter-pattern',
      nodes,
      inputs: [{ name: 'x', dtype: 'float32', shape: [...xShape] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: null }],
      initializers: new Map<string, Tensor>([
        ['zero', tensorOf('int64', [], [0])],
        ['axes0', tensorOf('int64', [1], [0])],
        ['minus1', tensorOf('int64', [1], [-1])],
      ]),
    },
  };
}

describe('the exporter reshape pattern', () => {
  const r = rng(130);
  const x = uniform(r, [2, 3, 4]);
  const flat = { ...x, shape: [2, 12] };

  it('folds to one Reshape with a constant shape, and runs', () => {
    const g = resolveGraph(exporterModel([2, 3, 4], false));
    expect(g.nodes.map((n) => n.op)).toEqual(['Reshape']);
    expect(g.nodes[0].inputs).toEqual(['x', '']);
    expect(g.nodes[0].attrs).toEqual({ shape: [2, -1], allowzero: false });
    expect(g.values.get('y')!.shape).toEqual([2, 12]);
    expectSame(runReference(g, { x }).get('y')!, flat);
    expectSame(runProgram(lowerGraph(g), { x }).get('y')!, flat);
  });

  it('folds with a dynamic batch dimension bound by --shape, and the Reshape moves no data', () => {
    const g = resolveGraph(exporterModel(['batch', 3, 4], true), { shapes: { x: [2, 3, 4] } });
    expect(g.nodes.map((n) => n.op)).toEqual(['Reshape', 'Transpose']);
    const p = lowerGraph(g);
    expect(p.buffers.get('r')!.aliasOf).toBe('x');
    expect(p.kernels.flatMap((k) => k.ops)).toEqual(['transpose']);
    const expected = runReference(g, { x }).get('y')!;
    expect(expected.shape).toEqual([12, 2]);
    // Transpose of the [2,12] view: y[j][i] = x.flat[i * 12 + j].
    const data = Array.from({ length: 24 }, (_, k) => x.data[(k % 2) * 12 + Math.floor(k / 2)] as number);
    expectSame(expected, tensorOf('float32', [12, 2], data));
    expectSame(runProgram(p, { x }).get('y')!, expected);
  });

  it('without a binding, the dynamic dimension is refused with a hint', () => {
    expect(() => resolveGraph(exporterModel(['batch', 3, 4], false))).toThrow(/dynamic dimension 'batch' at axis 0; bind it with --shape/);
  });
});
