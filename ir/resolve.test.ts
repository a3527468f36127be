import { describe, expect, it } from 'vitest';
import { FreightError } from './errors.js';
import type { RawGraph, RawModel, RawNode, ValueDecl } from './graph.js';
import { resolveGraph } from './resolve.js';
import { tensorOf, toNumbers, type Tensor } from './tensor.js';

const node = (name: string, op: string, inputs: string[], outputs: string[]): RawNode => ({ name, op, domain: '', inputs, outputs, attrs: {} });

function model(nodes: RawNode[], opts: { inputs?: ValueDecl[]; outputs?: ValueDecl[]; initializers?: Record<string, Tensor> } = {}): RawModel {
  const graph: RawGraph = {
    name: 'g',
    nodes,
    inputs: opts.inputs ?? [{ name: 'x', dtype: 'float32', shape: [2, 3] }],
    outputs: opts.outputs ?? [{ name: 'y', dtype: 'float32', shape: null }],
    initializers: new Map(Object.entries(opts.initializers ?? {})),
  };
  return { opset: 17, irVersion: 8, producer: 'test', graph };
}

const w = tensorOf('float32', [3], [1, 2, 3]);

describe('resolveGraph', () => {
  it('infers shapes through broadcasting and keeps nodes in topological order', () => {
    // Nodes listed out of order on purpose.
    const g = resolveGraph(model([node('b', 'Mul', ['t', 'w'], ['y']), node('a', 'Add', ['x', 'w'], ['t'])], { initializers: { w } }));
    expect(g.nodes.map((n) => n.name)).toEqual(['a', 'b']);
    expect(g.values.get('y')).toEqual({ dtype: 'float32', shape: [2, 3] });
  });

  it('folds nodes whose inputs are all constant and drops what no output needs', () => {
    const g = resolveGraph(model([
      node('fold', 'Mul', ['w', 'w'], ['w2']),
      node('use', 'Add', ['x', 'w2'], ['y']),
      node('dead', 'Sub', ['x', 'x'], ['unused']),
    ], { initializers: { w } }));
    expect(g.nodes.map((n) => n.name)).toEqual(['use']);
    expect(Array.from(toNumbers(g.constants.get('w2')!))).toEqual([1, 4, 9]);
    expect(g.constants.has('w')).toBe(false);
    expect(g.values.has('unused')).toBe(false);
  });

  it('binds dynamic dimensions with --shape and names the one left unbound', () => {
    const inputs: ValueDecl[] = [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }];
    const m = model([node('a', 'Add', ['x', 'w'], ['y'])], { inputs, initializers: { w } });
    expect(resolveGraph(m, { shapes: { x: [5, 3] } }).values.get('y')!.shape).toEqual([5, 3]);
    expect(() => resolveGraph(m)).toThrow(/input 'x' has dynamic dimension 'batch' at axis 0; bind it with --shape x=/);
    expect(() => resolveGraph(m, { shapes: { x: [5, 4] } })).toThrow(/sets axis 1 to 4, but the model fixes it to 3/);
    expect(() => resolveGraph(m, { shapes: { x: [5] } })).toThrow(/has rank 1, but the model declares rank 2/);
  });

  const refusals: [string, RawModel, RegExp][] = [
    ['a cycle', model([node('a', 'Add', ['x', 'c'], ['b']), node('b', 'Add', ['b', 'x'], ['c']), node('o', 'Add', ['c', 'x'], ['y'])]),
      /the graph has a cycle: node '(a|b)' \(Add\) depends on its own output/],
    ['a missing initializer', model([node('a', 'Add', ['x', 'weights'], ['y'])]),
      /node 'a' \(Add\): input 'weights' is not produced by any node, initializer or graph input/],
    ['a value defined twice', model([node('a', 'Add', ['x', 'x'], ['y']), node('b', 'Mul', ['x', 'x'], ['y'])]),
      /value 'y' is defined twice \(again by node 'b' \(Mul\)\)/],
    ['inconsistent shapes between operands', model([node('a', 'Add', ['x', 'v'], ['y'])], { initializers: { v: tensorOf('float32', [4], [1, 2, 3, 4]) } }),
      /node 'a' \(Add\): shapes \[2,3\] and \[4\] cannot be broadcast together/],
    ['an output declared with another shape', model([node('a', 'Add', ['x', 'x'], ['y'])], { outputs: [{ name: 'y', dtype: 'float32', shape: [2, 4] }] }),
      /graph output 'y' is declared with shape \[2,4\] but computes to \[2,3\]/],
    ['an output nothing produces', model([node('a', 'Add', ['x', 'x'], ['t'])]),
      /graph output 'y' is not produced/],
    ['unsupported operators, each with a node', model([node('l1', 'LSTM', ['x'], ['t']), node('q', 'QLinearConv', ['t'], ['u']), node('l2', 'LSTM', ['u'], ['y'])]),
      /does not support: LSTM \(nodes 'l1', 'l2'\); QLinearConv \(node 'q'\)/],
    ['an unsupported input type', model([node('a', 'Add', ['x', 'x'], ['y'])], { inputs: [{ name: 'x', dtype: 'string', shape: [2] }] }),
      /input 'x' has element type string, which freight does not support/],
  ];
  it.each(refusals)('refuses %s with one sentence naming the culprit', (_, m, message) => {
    expect(() => resolveGraph(m)).toThrow(FreightError);
    expect(() => resolveGraph(m)).toThrow(message);
  });
});
