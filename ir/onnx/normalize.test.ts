// Opset normalization: each old form, built at its opset, read back in its opset-21 form.

import { describe, expect, it } from 'vitest';
import type { RawGraph, RawNode } from '../graph.js';
import { fromNumbers, tensorOf, type Tensor } from '../tensor.js';
import { float, floats, importOnnx, OnnxBuilder, type AttrValues } from './index.js';

/** One node `op(x, ...extra)` at `opset`; returns the normalized graph. */
function single(opset: number, op: string, attrs: AttrValues, extra: string[] = [], outputs = 1): RawGraph {
  const b = new OnnxBuilder({ opset });
  const x = b.input('x', 'float32', [2, 3, 4, 5]);
  const outs = b.node(op, [x, ...extra], attrs, { name: 'n', outputs });
  for (const o of outs) b.output(o, 'float32');
  return importOnnx(b.encode()).graph;
}

function only(g: RawGraph): RawNode {
  expect(g.nodes).toHaveLength(1);
  return g.nodes[0];
}

const int64s = (v: number[]) => fromNumbers('int64', [v.length], v);
const f32 = (v: number) => fromNumbers('float32', [], [v]);

function constantAt(g: RawGraph, node: RawNode, index: number): Tensor | undefined {
  return g.initializers.get(node.inputs[index]);
}

describe('attributes that became inputs', () => {
  it('Clip-6 min/max -> inputs 1, 2', () => {
    const g = single(10, 'Clip', { min: float(0), max: 6 });
    const n = only(g);
    expect(n.attrs).toEqual({});
    expect(n.inputs).toEqual(['x', 'n_min', 'n_max']);
    expect(constantAt(g, n, 1)).toEqual(f32(0));
    expect(constantAt(g, n, 2)).toEqual(f32(6));
    expect(only(single(10, 'Clip', { max: float(6) })).inputs).toEqual(['x', '', 'n_max']);
    expect(only(single(10, 'Clip', {})).inputs).toEqual(['x']);
    expect(only(single(11, 'Clip', {})).inputs).toEqual(['x']);
  });

  it.each(['Squeeze', 'Unsqueeze'])('%s-1/11 axes -> input 1', (op) => {
    const g = single(12, op, { axes: [0, -1] });
    const n = only(g);
    expect([n.inputs, n.attrs]).toEqual([['x', 'n_axes'], {}]);
    expect(constantAt(g, n, 1)).toEqual(int64s([0, -1]));
    expect(only(single(13, op, {}, ['x'])).inputs).toEqual(['x', 'x']);
  });

  it('Squeeze-1 without axes keeps one input', () => {
    expect(only(single(11, 'Squeeze', {})).inputs).toEqual(['x']);
  });

  it('Slice-1 starts/ends/axes -> inputs 1, 2, 3; INT64_MAX stays exact', () => {
    const g = single(9, 'Slice', { starts: [1, 0], ends: [9223372036854775807n, -1], axes: [1, 3] });
    const n = only(g);
    expect([n.inputs, n.attrs]).toEqual([['x', 'n_starts', 'n_ends', 'n_axes'], {}]);
    expect(constantAt(g, n, 1)).toEqual(int64s([1, 0]));
    expect(constantAt(g, n, 2)).toEqual({ dtype: 'int64', shape: [2], data: new BigInt64Array([2n ** 63n - 1n, -1n]) });
    expect(constantAt(g, n, 3)).toEqual(int64s([1, 3]));
    expect(only(single(9, 'Slice', { starts: [0], ends: [1] })).inputs).toEqual(['x', 'n_starts', 'n_ends']);
  });

  it('Slice-1 without ends is refused naming the node', () => {
    expect(() => single(9, 'Slice', { starts: [0] })).toThrow('node "n" (Slice) has no "ends" attribute, which opset 9 requires.');
  });

  it.each([
    ['ReduceSum', 12, 13], ['ReduceMean', 17, 18], ['ReduceMax', 17, 18], ['ReduceMin', 11, 18], ['ReduceProd', 17, 18],
    ['ReduceL1', 17, 18], ['ReduceL2', 17, 18], ['ReduceLogSum', 17, 18], ['ReduceLogSumExp', 17, 18], ['ReduceSumSquare', 17, 18],
  ])('%s at opset %i: axes -> input 1, keepdims stays', (op, old, since) => {
    const g = single(old, op, { axes: [1], keepdims: 0 });
    const n = only(g);
    expect([n.inputs, n.attrs]).toEqual([['x', 'n_axes'], { keepdims: { kind: 'int', value: 0 } }]);
    expect(constantAt(g, n, 1)).toEqual(int64s([1]));
    expect(only(single(old, op, {})).inputs).toEqual(['x']);
    expect(only(single(since, op, { keepdims: 1 })).inputs).toEqual(['x']);
  });

  it('Split-2/11 split -> input 1; even split -> num_outputs', () => {
    const g = single(11, 'Split', { axis: 1, split: [1, 2] }, [], 2);
    const n = only(g);
    expect([n.inputs, n.attrs]).toEqual([['x', 'n_split'], { axis: { kind: 'int', value: 1 } }]);
    expect(constantAt(g, n, 1)).toEqual(int64s([1, 2]));
    expect(only(single(11, 'Split', { axis: 2 }, [], 2)).attrs.num_outputs).toEqual({ kind: 'int', value: 2 });
    expect(only(single(13, 'Split', { axis: 2 }, [], 4)).attrs.num_outputs).toEqual({ kind: 'int', value: 4 });
    expect(only(single(18, 'Split', { axis: 2, num_outputs: 2 }, [], 2)).attrs.num_outputs).toEqual({ kind: 'int', value: 2 });
  });

  it('Pad-2 pads/value -> inputs 1, 2; mode stays', () => {
    const g = single(10, 'Pad', { pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 0.5, mode: 'constant' });
    const n = only(g);
    expect([n.inputs, n.attrs]).toEqual([['x', 'n_pads', 'n_value'], { mode: { kind: 'string', value: 'constant' } }]);
    expect(constantAt(g, n, 1)).toEqual(int64s([0, 0, 1, 1, 0, 0, 1, 1]));
    expect(constantAt(g, n, 2)).toEqual(f32(0.5));
    expect(only(single(10, 'Pad', { pads: [0, 0, 0, 0, 0, 0, 0, 0], mode: 'reflect' })).inputs).toEqual(['x', 'n_pads']);
  });

  it('fresh names avoid names in use', () => {
    const b = new OnnxBuilder({ opset: 12 });
    const x = b.input('x', 'float32', [1, 2]);
    b.initializer('n_axes', tensorOf('float32', [1], [0]));
    b.output(b.op('Unsqueeze', [x], { axes: [0] }, { name: 'n' }));
    b.output('n_axes');
    expect(importOnnx(b.encode()).graph.nodes[0].inputs).toEqual(['x', 'n_axes_1']);
  });
});

describe('resampling', () => {
  const asymmetric = (mode: string, nearest?: string) => ({
    mode: { kind: 'string', value: mode },
    coordinate_transformation_mode: { kind: 'string', value: 'asymmetric' },
    ...(nearest ? { nearest_mode: { kind: 'string', value: nearest } } : {}),
  });

  it('Upsample-7 scales attribute -> Resize(X, "", scales) asymmetric floor', () => {
    const g = single(8, 'Upsample', { scales: floats([1, 1, 2, 2]) });
    const n = only(g);
    expect(n).toMatchObject({ name: 'n', op: 'Resize', inputs: ['x', '', 'n_scales'], attrs: asymmetric('nearest', 'floor') });
    expect(constantAt(g, n, 2)).toEqual(fromNumbers('float32', [4], [1, 1, 2, 2]));
  });

  it('Upsample-9 scales input, linear and bilinear', () => {
    const b = new OnnxBuilder({ opset: 9 });
    const x = b.input('x', 'float32', [1, 1, 2, 2]);
    const s = b.initializer('s', tensorOf('float32', [4], [1, 1, 2, 2]));
    b.output(b.op('Upsample', [x, s], { mode: 'linear' }, { name: 'up' }));
    b.output(b.op('Upsample', [x, s], { mode: 'bilinear' }, { name: 'up2' }));
    const g = importOnnx(b.encode()).graph;
    expect(g.nodes[0]).toMatchObject({ op: 'Resize', inputs: ['x', '', 's'], attrs: asymmetric('linear') });
    expect(g.nodes[1].attrs).toEqual(asymmetric('linear'));
  });

  it('Upsample with an unknown mode is refused', () => {
    expect(() => single(9, 'Upsample', { mode: 'cubic' }, ['x'])).toThrow('node "n" (Upsample) has mode "cubic"; opset 9 allows nearest and linear.');
  });

  function resize10(scales: number[] | null, mode = 'nearest'): RawGraph {
    const b = new OnnxBuilder({ opset: 10 });
    const x = b.input('x', 'float32', [1, 1, 4, 4]);
    const s = scales ? b.initializer('s', tensorOf('float32', [4], scales)) : b.input('s', 'float32', [4]);
    b.output(b.op('Resize', [x, s], { mode }, { name: 'rs' }));
    return importOnnx(b.encode()).graph;
  }

  it('Resize-10 upsampling -> floor, downsampling -> ceil, computed scales -> floor, linear -> no rounding', () => {
    expect(only(resize10([1, 1, 2, 3]))).toMatchObject({ inputs: ['x', '', 's'], attrs: asymmetric('nearest', 'floor') });
    expect(only(resize10([1, 1, 0.5, 0.6])).attrs).toEqual(asymmetric('nearest', 'ceil'));
    expect(only(resize10(null)).attrs).toEqual(asymmetric('nearest', 'floor'));
    expect(only(resize10([1, 1, 0.5, 2], 'linear')).attrs).toEqual(asymmetric('linear'));
  });

  it('Resize-10 mixing up- and downsampling -> two Resizes', () => {
    const g = resize10([1, 1, 0.5, 2]);
    expect(g.nodes).toMatchObject([
      { name: 'rs_down', inputs: ['x', '', 'rs_down_scales'], outputs: ['rs_downsampled'], attrs: asymmetric('nearest', 'ceil') },
      { name: 'rs', inputs: ['rs_downsampled', '', 'rs_up_scales'], outputs: ['rs_out'], attrs: asymmetric('nearest', 'floor') },
    ]);
    expect(g.initializers.get('rs_down_scales')).toEqual(fromNumbers('float32', [4], [1, 1, 0.5, 1]));
    expect(g.initializers.get('rs_up_scales')).toEqual(fromNumbers('float32', [4], [1, 1, 1, 2]));
  });

  it('Resize-11 drops unused roi and empty scales, keeps tf_half_pixel_for_nn', () => {
    const b = new OnnxBuilder({ opset: 11 });
    const x = b.input('x', 'float32', [1, 1, 4, 4]);
    const roi = b.initializer('roi', tensorOf('float32', [0], []));
    const empty = b.initializer('empty', tensorOf('float32', [0], []));
    const sizes = b.initializer('sizes', tensorOf('int64', [4], [1, 1, 8, 8]));
    const scales = b.initializer('scales', tensorOf('float32', [4], [1, 1, 2, 2]));
    b.output(b.op('Resize', [x, roi, empty, sizes], { coordinate_transformation_mode: 'tf_half_pixel_for_nn' }, { name: 'a' }));
    b.output(b.op('Resize', [x, roi, scales], { coordinate_transformation_mode: 'tf_crop_and_resize' }, { name: 'b' }));
    b.output(b.op('Resize', [x, roi, scales], {}, { name: 'c' }));
    const g = importOnnx(b.encode()).graph;
    expect(g.nodes.map((n) => n.inputs)).toEqual([['x', '', '', 'sizes'], ['x', 'roi', 'scales'], ['x', '', 'scales']]);
    expect(g.nodes[0].attrs.coordinate_transformation_mode).toEqual({ kind: 'string', value: 'tf_half_pixel_for_nn' });
  });
});

describe('semantics that changed', () => {
  it.each(['Softmax', 'LogSoftmax', 'Hardmax'])('%s-1/11 -> Flatten, %s(axis=-1), Reshape to Shape(x)', (op) => {
    const g = single(12, op, { axis: 2 });
    expect(g.nodes).toEqual([
      { name: 'n_flatten', op: 'Flatten', domain: '', inputs: ['x'], outputs: ['n_2d'], attrs: { axis: { kind: 'int', value: 2 } } },
      { name: 'n', op, domain: '', inputs: ['n_2d'], outputs: ['n_2d_out'], attrs: { axis: { kind: 'int', value: -1 } } },
      { name: 'n_shape_of', op: 'Shape', domain: '', inputs: ['x'], outputs: ['n_in_shape'], attrs: {} },
      { name: 'n_reshape', op: 'Reshape', domain: '', inputs: ['n_2d_out', 'n_in_shape'], outputs: ['n_out'], attrs: {} },
    ]);
    expect(single(9, op, {}).nodes[0].attrs.axis).toEqual({ kind: 'int', value: 1 });
    expect(only(single(13, op, { axis: 2 })).attrs.axis).toEqual({ kind: 'int', value: 2 });
  });

  function batchNorm(opset: number, attrs: AttrValues, outputs: number, readOutputs = 1): RawGraph {
    const b = new OnnxBuilder({ opset });
    const x = b.input('x', 'float32', [1, 2, 3]);
    const p = ['scale', 'bias', 'mean', 'var'].map((k) => b.initializer(k, tensorOf('float32', [2], [1, 2])));
    const outs = b.node('BatchNormalization', [x, ...p], attrs, { name: 'bn', outputs });
    for (const o of outs.slice(0, readOutputs)) b.output(o, 'float32');
    return importOnnx(b.encode()).graph;
  }

  it('BatchNormalization drops legacy attributes, and unread statistics outputs from opset 14', () => {
    const n = only(batchNorm(7, { spatial: 1, is_test: 1, epsilon: float(1e-3), momentum: float(0.9) }, 1));
    expect(n.outputs).toEqual(['bn_out']);
    expect(only(batchNorm(15, { training_mode: 0 }, 3)).outputs).toEqual(['bn_out0']);
    expect(n.attrs).toEqual({ epsilon: { kind: 'float', value: expect.closeTo(1e-3, 9) }, momentum: { kind: 'float', value: expect.closeTo(0.9, 6) } });
    expect(only(batchNorm(15, { training_mode: 0 }, 1)).attrs).toEqual({});
  });

  it('BatchNormalization in training mode, or with read statistics, is refused', () => {
    expect(() => batchNorm(15, { training_mode: 1 }, 3)).toThrow('node "bn" (BatchNormalization) is in training mode; freight compiles for inference only.');
    expect(() => batchNorm(15, {}, 3, 2)).toThrow('node "bn" (BatchNormalization) has its training-only output "bn_out1" read');
    expect(() => batchNorm(9, {}, 5)).toThrow(
      'node "bn" (BatchNormalization) lists its statistics outputs, which puts it in training mode; freight compiles for inference only.',
    );
  });

  it('BatchNormalization-7 spatial=0 -> element-wise arithmetic', () => {
    const g = batchNorm(7, { spatial: 0, epsilon: float(0.5) }, 1);
    expect(g.nodes.map((n) => [n.op, n.inputs, n.outputs])).toEqual([
      ['Add', ['var', 'bn_epsilon'], ['bn_var_eps']],
      ['Sqrt', ['bn_var_eps'], ['bn_std']],
      ['Div', ['scale', 'bn_std'], ['bn_factor']],
      ['Sub', ['x', 'mean'], ['bn_centered']],
      ['Mul', ['bn_centered', 'bn_factor'], ['bn_scaled']],
      ['Add', ['bn_scaled', 'bias'], ['bn_out']],
    ]);
    expect(g.nodes[5].name).toBe('bn');
    expect(g.initializers.get('bn_epsilon')).toEqual(f32(0.5));
  });

  it('Dropout-7/10 drop ratio and an unread mask; a read mask becomes a constant', () => {
    const unread = new OnnxBuilder({ opset: 10 });
    unread.output(unread.node('Dropout', [unread.input('x', 'float32', [2])], { ratio: float(0.3) }, { outputs: 2 })[0]);
    expect(only(importOnnx(unread.encode()).graph)).toMatchObject({ outputs: ['Dropout_0_out0'], attrs: {} });
    const b = new OnnxBuilder({ opset: 9 });
    const [y, mask] = b.node('Dropout', [b.input('x', 'float32', [2])], { ratio: float(0.3) }, { name: 'n', outputs: 2 });
    b.output(y);
    b.output(mask);
    const g = importOnnx(b.encode()).graph;
    expect(g.nodes).toEqual([
      { name: 'n', op: 'Dropout', domain: '', inputs: ['x'], outputs: ['n_out0'], attrs: {} },
      { name: 'n_shape_of', op: 'Shape', domain: '', inputs: ['x'], outputs: ['n_in_shape'], attrs: {} },
      { name: 'n_mask', op: 'ConstantOfShape', domain: '', inputs: ['n_in_shape'], outputs: ['n_out1'],
        attrs: { value: { kind: 'tensor', value: fromNumbers('float32', [1], [0]) } } },
    ]);
    expect(only(single(12, 'Dropout', { seed: 1 })).attrs).toEqual({ seed: { kind: 'int', value: 1 } });
  });
});
