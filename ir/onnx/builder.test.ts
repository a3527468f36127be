// Round trips through OnnxBuilder and importOnnx: every attribute kind, every freight dtype,
// declarations, Constant nodes, node naming and external placement as the builder writes it.

import { describe, expect, it } from 'vitest';
import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { RawModel, RawNode } from '../graph.js';
import { fromNumbers, tensorOf, type Tensor } from '../tensor.js';
import { encodeModel, float, floats, importOnnx, OnnxBuilder, writeRawModel } from './index.js';

function onlyNode(m: RawModel): RawNode {
  expect(m.graph.nodes).toHaveLength(1);
  return m.graph.nodes[0];
}

function identityModel(attrs: Record<string, unknown>): RawModel {
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', [1]);
  // A custom domain: the attributes are carried through without normalization.
  b.output(b.op('Probe', [x], attrs as never, { domain: 'test.freight' }), 'float32', [1]);
  return importOnnx(b.encode());
}

describe('attributes round trip', () => {
  it('infers int, float, string, ints, floats, strings from JS values', () => {
    const n = onlyNode(identityModel({
      i: 3, neg: -7, f: 0.25, forced: float(1), s: 'héllo', is: [1, -2, 3], fs: [0.5, 1], forcedList: floats([1, 2]),
      ss: ['a', 'b'], empty: [], yes: true, big: 2n ** 40n,
    }));
    expect(n.attrs).toEqual({
      i: { kind: 'int', value: 3 },
      neg: { kind: 'int', value: -7 },
      f: { kind: 'float', value: 0.25 },
      forced: { kind: 'float', value: 1 },
      s: { kind: 'string', value: 'héllo' },
      is: { kind: 'ints', value: [1, -2, 3] },
      fs: { kind: 'floats', value: [0.5, 1] },
      forcedList: { kind: 'floats', value: [1, 2] },
      ss: { kind: 'strings', value: ['a', 'b'] },
      empty: { kind: 'ints', value: [] },
      yes: { kind: 'int', value: 1 },
      big: { kind: 'int', value: 2 ** 40 },
    });
  });

  it('writes int64 extremes without wrapping', () => {
    const n = onlyNode(identityModel({ ends: [9223372036854775807n, -9223372036854775808n, 2 ** 63] }));
    expect(n.attrs.ends).toEqual({ kind: 'ints', value: [2 ** 63, -(2 ** 63), 2 ** 63] });
  });

  it('carries tensor and tensors attributes', () => {
    const t = tensorOf('int32', [2, 2], [1, 2, 3, 4]);
    const u = tensorOf('float32', [3], [0.5, -1, 2]);
    const n = onlyNode(identityModel({ t, ts: [t, u] }));
    expect(n.attrs.t).toEqual({ kind: 'tensor', value: t });
    expect(n.attrs.ts).toEqual({ kind: 'tensors', value: [t, u] });
  });

  it('keeps graph, sparse and type attributes by kind only', () => {
    const b = new OnnxBuilder({ opset: 17 });
    b.output(b.op('Probe', [b.input('x', 'float32', [1])], {}, { domain: 'test.freight' }));
    const m = b.toProto();
    const g: pb.IGraphProto = { name: 'body' };
    const sparse: pb.ISparseTensorProto = { dims: [4] };
    const tp: pb.ITypeProto = { tensorType: { elemType: 1 } };
    m.graph!.node![0].attribute = [
      { name: 'g', type: 5, g }, { name: 'gs', type: 10, graphs: [g, g] },
      { name: 'sp', type: 11, sparseTensor: sparse }, { name: 'sps', type: 12, sparseTensors: [sparse] },
      { name: 'tp', type: 13, tp }, { name: 'tps', type: 14, typeProtos: [tp] },
    ];
    const n = onlyNode(importOnnx(encodeModel(m)));
    expect(n.attrs).toEqual({
      g: { kind: 'graph', value: null }, gs: { kind: 'graphs', value: null },
      sp: { kind: 'sparse_tensor', value: null }, sps: { kind: 'sparse_tensors', value: null },
      tp: { kind: 'type_proto', value: null }, tps: { kind: 'type_protos', value: null },
    });
  });

  it('reads attributes without a type (IR 1) from the field that is present', () => {
    const b = new OnnxBuilder({ opset: 17 });
    b.output(b.op('Probe', [b.input('x', 'float32', [1])], {}, { domain: 'test.freight' }));
    const m = b.toProto();
    m.graph!.node![0].attribute = [
      { name: 'f', f: 1.5 }, { name: 'i', i: 0 }, { name: 'is', ints: [1, 2] }, { name: 's', s: new TextEncoder().encode('x') },
    ];
    expect(onlyNode(importOnnx(encodeModel(m))).attrs).toEqual({
      f: { kind: 'float', value: 1.5 }, i: { kind: 'int', value: 0 },
      is: { kind: 'ints', value: [1, 2] }, s: { kind: 'string', value: 'x' },
    });
  });
});

describe('initializers round trip', () => {
  const cases: Tensor[] = [
    tensorOf('float32', [2, 3], [0, -1.5, 3.25, 1e-30, -0, 7]),
    { dtype: 'int64', shape: [3], data: new BigInt64Array([9223372036854775807n, -9223372036854775808n, 5n]) },
    tensorOf('int32', [2, 2], [2147483647, -2147483648, 0, 9]),
    tensorOf('bool', [4], [1, 0, 0, 1]),
    tensorOf('float32', [], [42]),
    tensorOf('float32', [0, 3], []),
  ];
  it.each(cases.map((t, i) => [i, t] as const))('case %i keeps dtype, shape and data', (_, t) => {
    const b = new OnnxBuilder();
    b.output(b.initializer('t', t), t.dtype);
    expect(importOnnx(b.encode()).graph.initializers.get('t')).toEqual(t);
  });
});

describe('declarations', () => {
  it('reads dtype and dims, leaves initialized inputs out', () => {
    const b = new OnnxBuilder({ opset: 13 });
    b.input('x', 'float32', ['N', 3, null, 224]);
    b.input('ids', 'int64', []);
    b.input('anyRank', 'bool');
    b.input('half', 'float16', [2]);
    b.input('text', 'string', [1]);
    b.initializer('w', tensorOf('float32', [1], [1]));
    const m = b.toProto();
    m.graph!.input!.push({ name: 'w', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } });
    m.graph!.input!.push({ name: 'untyped' });
    b.output('x', 'float32', ['N', 3, null, 224]);
    m.graph!.output = b.toProto().graph!.output;
    const g = importOnnx(encodeModel(m)).graph;
    expect(g.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: ['N', 3, null, 224] },
      { name: 'ids', dtype: 'int64', shape: [] },
      { name: 'anyRank', dtype: 'bool', shape: null },
      { name: 'half', dtype: 'float32', shape: [2] },
      { name: 'text', dtype: 'string', shape: [1] },
      { name: 'untyped', dtype: 'undefined', shape: null },
    ]);
    expect(g.outputs).toEqual([{ name: 'x', dtype: 'float32', shape: ['N', 3, null, 224] }]);
  });

  it('reads model metadata', () => {
    const b = new OnnxBuilder({ opset: 11, producer: 'zoo', graphName: 'resnet' });
    b.output(b.input('x', 'float32', [1]), 'float32');
    const m = importOnnx(b.encode());
    expect([m.opset, m.irVersion, m.producer, m.graph.name]).toEqual([11, 6, 'zoo', 'resnet']);
  });
});

describe('Constant nodes', () => {
  it('become initializers from every value attribute', () => {
    const b = new OnnxBuilder({ opset: 13 });
    const t = tensorOf('int32', [2], [4, 5]);
    const outs = [
      b.constant('c_value', t),
      b.op('Constant', [], { value_float: float(2) }, { outputs: ['c_float'] }),
      b.op('Constant', [], { value_floats: floats([1, 2.5]) }, { outputs: ['c_floats'] }),
      b.op('Constant', [], { value_int: 7 }, { outputs: ['c_int'] }),
      b.op('Constant', [], { value_ints: [1, -1] }, { outputs: ['c_ints'] }),
    ];
    b.output(b.op('Concat', outs.slice(3), { axis: 0 }), 'int64');
    const g = importOnnx(b.encode()).graph;
    expect(g.nodes.map((n) => n.op)).toEqual(['Concat']);
    expect(g.initializers.get('c_value')).toEqual(t);
    expect(g.initializers.get('c_float')).toEqual(fromNumbers('float32', [], [2]));
    expect(g.initializers.get('c_floats')).toEqual(fromNumbers('float32', [2], [1, 2.5]));
    expect(g.initializers.get('c_int')).toEqual(fromNumbers('int64', [], [7]));
    expect(g.initializers.get('c_ints')).toEqual(fromNumbers('int64', [2], [1, -1]));
  });

  it.each([
    ['value_string', 'holds strings'],
    ['value_strings', 'holds strings'],
  ])('refuse %s naming the node', (attr, message) => {
    const b = new OnnxBuilder({ opset: 13 });
    b.output(b.op('Constant', [], { [attr]: attr === 'value_string' ? 'a' : ['a'] }, { name: 'cst', outputs: ['c'] }));
    expect(() => importOnnx(b.encode())).toThrow(new FreightError(`(in-memory model): Constant node "cst" ${message}, which freight does not support.`));
  });

  it('refuses sparse_value naming the node', () => {
    const b = new OnnxBuilder({ opset: 13 });
    b.output(b.op('Constant', [], {}, { name: 'cst', outputs: ['c'] }));
    const m = b.toProto();
    m.graph!.node![0].attribute = [{ name: 'sparse_value', type: 11, sparseTensor: { dims: [2] } }];
    expect(() => importOnnx(encodeModel(m))).toThrow('Constant node "cst" holds a sparse tensor');
  });
});

describe('nodes', () => {
  it('names unnamed nodes op_index, avoiding names in use', () => {
    const b = new OnnxBuilder({ opset: 13 });
    const x = b.input('x', 'float32', [1]);
    const y = b.op('Relu', [x], {}, { name: 'Relu_1' });
    const z = b.op('Relu', [y]);
    b.output(b.op('Neg', [z]));
    const m = b.toProto();
    m.graph!.node![1].name = '';
    m.graph!.node![2].name = '';
    expect(importOnnx(encodeModel(m)).graph.nodes.map((n) => n.name)).toEqual(['Relu_1', 'Relu_1_1', 'Neg_2']);
  });

  it('keeps nodes of other domains as they are, and reads ai.onnx as the default domain', () => {
    const b = new OnnxBuilder({ opset: 11, domains: { 'com.microsoft': 1 } });
    const x = b.input('x', 'float32', [1]);
    const y = b.op('Gelu', [x], {}, { domain: 'com.microsoft' });
    b.output(b.op('Softmax', [y], { axis: 0 }, { domain: 'ai.onnx' }));
    const g = importOnnx(b.encode()).graph;
    expect(g.nodes[0]).toMatchObject({ op: 'Gelu', domain: 'com.microsoft', inputs: ['x'] });
    expect(g.nodes.map((n) => n.op)).toEqual(['Gelu', 'Flatten', 'Softmax', 'Shape', 'Reshape']);
  });
});

describe('external placement', () => {
  it('lays out files by offset and writes location, offset and length', () => {
    const b = new OnnxBuilder();
    b.initializer('a', tensorOf('float32', [2], [1, 2]), { external: { location: 'w.bin' } });
    b.initializer('b', tensorOf('int32', [1], [3]), { external: { location: 'w.bin', offset: 16 } });
    b.initializer('c', tensorOf('int32', [1], [4]), { external: { location: 'w.bin' } });
    const file = b.externalFiles().get('w.bin')!;
    expect(file.length).toBe(24);
    expect(Array.from(new Int32Array(file.buffer, 16, 2))).toEqual([3, 4]);
    const entries = b.toProto().graph!.initializer![2].externalData;
    expect(entries).toEqual([
      { key: 'location', value: 'w.bin' }, { key: 'offset', value: '20' }, { key: 'length', value: '4' },
    ]);
  });
});

describe('writeRawModel', () => {
  it('writes a normalized model that imports back unchanged', () => {
    const b = new OnnxBuilder({ opset: 9, domains: { 'com.example': 3 } });
    const x = b.input('x', 'float32', ['N', 4]);
    const y = b.op('Slice', [x], { starts: [1], ends: [3], axes: [1] }, { name: 's' });
    const z = b.op('Softmax', [y], { axis: 1 }, { name: 'sm' });
    b.output(b.op('Custom', [z], { alpha: float(1), names: ['a'], t: tensorOf('bool', [1], [1]) }, { name: 'c', domain: 'com.example' }), 'float32');
    const first = importOnnx(b.encode());
    const again = importOnnx(writeRawModel(first));
    expect(again.opset).toBe(21);
    expect(again.graph).toEqual(first.graph);
  });
});
