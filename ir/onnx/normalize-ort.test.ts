// Normalization checked against ONNX Runtime: each old-opset model is run by ORT as written, and
// again after import, written back as an opset-21 model (writeRawModel). Same outputs mean the
// opset-21 form means what the old one did. Two cases also check ORT against a hand computation.

import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { tensorOf, type Tensor } from '../tensor.js';
import { float, floats, importOnnx, OnnxBuilder, writeRawModel } from './index.js';

type Outputs = Record<string, { dims: number[]; data: number[] }>;

async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Outputs> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) inputs[name] = new ort.Tensor(t.dtype, t.data, [...t.shape]);
  const results = await session.run(inputs);
  const out: Outputs = {};
  for (const name of session.outputNames) {
    const r = results[name];
    out[name] = { dims: [...r.dims], data: Array.from(r.data as ArrayLike<number | bigint>, Number) };
  }
  return out;
}

const ramp = (shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensorOf('float32', shape, Array.from({ length: n }, (_, i) => ((i * 7) % 11) - 4.5 + i / 10));
};

interface Case {
  readonly name: string;
  readonly opset: number;
  readonly shape: number[];
  /** Builds the nodes after input x; returns the outputs to compare. */
  readonly build: (b: OnnxBuilder, x: string) => string[];
}

const f32 = (shape: number[], v: number[]) => tensorOf('float32', shape, v);

const CASES: Case[] = [
  { name: 'Clip-6 min and max', opset: 10, shape: [2, 6], build: (b, x) => [b.op('Clip', [x], { min: float(-1), max: float(2.5) })] },
  { name: 'Clip-6 max only', opset: 10, shape: [2, 6], build: (b, x) => [b.op('Clip', [x], { max: float(0) })] },
  { name: 'Squeeze-11', opset: 11, shape: [2, 1, 3], build: (b, x) => [b.op('Squeeze', [x], { axes: [-2] })] },
  { name: 'Unsqueeze-11', opset: 11, shape: [2, 3], build: (b, x) => [b.op('Unsqueeze', [x], { axes: [0, 3] })] },
  {
    name: 'Slice-1 with INT64_MAX and negative ends', opset: 9, shape: [3, 4, 5],
    build: (b, x) => [b.op('Slice', [x], { starts: [1, -4], ends: [9223372036854775807n, -1], axes: [0, 2] })],
  },
  { name: 'Slice-1 without axes', opset: 9, shape: [3, 4], build: (b, x) => [b.op('Slice', [x], { starts: [0, 1], ends: [2, 3] })] },
  { name: 'ReduceSum-11 axes', opset: 11, shape: [2, 3, 4], build: (b, x) => [b.op('ReduceSum', [x], { axes: [1], keepdims: 0 })] },
  { name: 'ReduceMean-17 negative axis', opset: 17, shape: [2, 3, 4], build: (b, x) => [b.op('ReduceMean', [x], { axes: [-1] })] },
  { name: 'ReduceMax-13 all axes', opset: 13, shape: [2, 3, 4], build: (b, x) => [b.op('ReduceMax', [x], {})] },
  { name: 'ReduceL2-17 two axes', opset: 17, shape: [2, 3, 4], build: (b, x) => [b.op('ReduceL2', [x], { axes: [0, 2], keepdims: 1 })] },
  { name: 'ReduceLogSumExp-12', opset: 12, shape: [2, 3], build: (b, x) => [b.op('ReduceLogSumExp', [x], { axes: [1] })] },
  { name: 'Split-11 with split', opset: 11, shape: [2, 3], build: (b, x) => b.node('Split', [x], { axis: 1, split: [1, 2] }, { outputs: 2 }) },
  { name: 'Split-11 even', opset: 11, shape: [2, 4], build: (b, x) => b.node('Split', [x], { axis: 1 }, { outputs: 2 }) },
  { name: 'Split-13 even', opset: 13, shape: [6, 2], build: (b, x) => b.node('Split', [x], {}, { outputs: 3 }) },
  { name: 'Pad-2 constant value', opset: 10, shape: [2, 3], build: (b, x) => [b.op('Pad', [x], { pads: [0, 1, 1, 2], value: float(0.5) })] },
  { name: 'Pad-2 reflect', opset: 10, shape: [1, 4], build: (b, x) => [b.op('Pad', [x], { pads: [0, 2, 0, 1], mode: 'reflect' })] },
  { name: 'Upsample-7 nearest', opset: 7, shape: [1, 1, 2, 3], build: (b, x) => [b.op('Upsample', [x], { scales: floats([1, 1, 2, 3]) })] },
  {
    name: 'Upsample-9 nearest, fractional scale', opset: 9, shape: [1, 1, 3, 3],
    build: (b, x) => [b.op('Upsample', [x, b.initializer('s', f32([4], [1, 1, 1.5, 2.5]))], { mode: 'nearest' })],
  },
  {
    name: 'Upsample-9 linear', opset: 9, shape: [1, 2, 2, 3],
    build: (b, x) => [b.op('Upsample', [x, b.initializer('s', f32([4], [1, 1, 2, 1.5]))], { mode: 'linear' })],
  },
  {
    name: 'Resize-10 nearest upsampling', opset: 10, shape: [1, 1, 3, 2],
    build: (b, x) => [b.op('Resize', [x, b.initializer('s', f32([4], [1, 1, 2.5, 3]))], { mode: 'nearest' })],
  },
  {
    name: 'Resize-10 nearest downsampling', opset: 10, shape: [1, 1, 5, 7],
    build: (b, x) => [b.op('Resize', [x, b.initializer('s', f32([4], [1, 1, 0.6, 0.45]))], { mode: 'nearest' })],
  },
  {
    name: 'Resize-10 nearest, down- and upsampling', opset: 10, shape: [1, 1, 5, 3],
    build: (b, x) => [b.op('Resize', [x, b.initializer('s', f32([4], [1, 1, 0.6, 2.5]))], { mode: 'nearest' })],
  },
  {
    name: 'Resize-10 linear', opset: 10, shape: [1, 1, 3, 4],
    build: (b, x) => [b.op('Resize', [x, b.initializer('s', f32([4], [1, 1, 2, 0.5]))], { mode: 'linear' })],
  },
  {
    name: 'Resize-11 sizes with empty roi and scales', opset: 11, shape: [1, 1, 3, 4],
    build: (b, x) => {
      const roi = b.initializer('roi', f32([0], []));
      const scales = b.initializer('scales', f32([0], []));
      const sizes = b.initializer('sizes', tensorOf('int64', [4], [1, 1, 5, 2]));
      return [b.op('Resize', [x, roi, scales, sizes], { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' })];
    },
  },
  { name: 'Softmax-11 axis 1 of 3-D', opset: 11, shape: [2, 3, 4], build: (b, x) => [b.op('Softmax', [x], { axis: 1 })] },
  { name: 'Softmax-9 default axis', opset: 9, shape: [2, 3, 2], build: (b, x) => [b.op('Softmax', [x])] },
  { name: 'LogSoftmax-12 axis 0', opset: 12, shape: [2, 3], build: (b, x) => [b.op('LogSoftmax', [x], { axis: 0 })] },
  { name: 'Hardmax-11 axis 1', opset: 11, shape: [2, 2, 3], build: (b, x) => [b.op('Hardmax', [x], { axis: 1 })] },
  {
    name: 'BatchNormalization-7 spatial=0', opset: 7, shape: [2, 2, 3],
    build: (b, x) => {
      const p = (k: string, v: number[]) => b.initializer(k, f32([2, 3], v));
      return [b.op('BatchNormalization', [x, p('scale', [1, 2, 3, 4, 5, 6]), p('bias', [0, 1, 0, 1, 0, 1]),
        p('mean', [0.5, 0, -1, 2, 0, 1]), p('var', [1, 4, 0.25, 2, 3, 9])], { spatial: 0, epsilon: float(1e-3) })];
    },
  },
  {
    name: 'BatchNormalization-7 spatial=1', opset: 7, shape: [2, 2, 3],
    build: (b, x) => {
      const p = (k: string, v: number[]) => b.initializer(k, f32([2], v));
      return [b.op('BatchNormalization', [x, p('scale', [1, 2]), p('bias', [0, 1]), p('mean', [0.5, -1]), p('var', [1, 4])], { spatial: 1 })];
    },
  },
  {
    name: 'Dropout-10 with a read mask', opset: 10, shape: [2, 3],
    build: (b, x) => {
      const [y, mask] = b.node('Dropout', [x], { ratio: float(0.3) }, { outputs: 2 });
      return [y, b.op('Cast', [mask], { to: 1 })];
    },
  },
  { name: 'Dropout-11 with an unread mask', opset: 11, shape: [2, 3], build: (b, x) => [b.node('Dropout', [x], {}, { outputs: 2 })[0]] },
  {
    name: 'Dropout-7 with a read mask', opset: 7, shape: [2, 3],
    build: (b, x) => {
      const [y, mask] = b.node('Dropout', [x], { ratio: float(0.3) }, { outputs: 2 });
      return [b.op('Add', [y, mask])];
    },
  },
];

function buildCase(c: Case): { bytes: Uint8Array; outputs: string[] } {
  const b = new OnnxBuilder({ opset: c.opset });
  const outputs = c.build(b, b.input('x', 'float32', c.shape));
  for (const o of outputs) b.output(o, 'float32');
  return { bytes: b.encode(), outputs };
}

describe('normalized models run like the originals in ONNX Runtime', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const { bytes } = buildCase(c);
    const feeds = { x: ramp(c.shape) };
    const before = await runOrt(bytes, feeds);
    const after = await runOrt(writeRawModel(importOnnx(bytes)), feeds);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const [name, want] of Object.entries(before)) {
      expect(after[name].dims).toEqual(want.dims);
      after[name].data.forEach((v, i) => expect(v).toBeCloseTo(want.data[i], 5));
    }
  });
});

describe('ONNX Runtime against a hand computation', () => {
  it('Upsample-9 nearest repeats pixels (floor of x / scale)', async () => {
    const b = new OnnxBuilder({ opset: 9 });
    b.output(b.op('Upsample', [b.input('x', 'float32', [1, 1, 2, 2]), b.initializer('s', f32([4], [1, 1, 2, 1.5]))]), 'float32');
    const out = Object.values(await runOrt(writeRawModel(importOnnx(b.encode())), { x: f32([1, 1, 2, 2], [1, 2, 3, 4]) }))[0];
    // Rows: floor(r / 2) -> 0 0 1 1; columns: floor(c / 1.5) -> 0 0 1 (3 = floor(2 * 1.5)).
    expect(out).toEqual({ dims: [1, 1, 4, 3], data: [1, 1, 2, 1, 1, 2, 3, 3, 4, 3, 3, 4] });
  });

  it('Slice-1 clamps INT64_MAX ends and counts negative ends from the back', async () => {
    const b = new OnnxBuilder({ opset: 9 });
    b.output(b.op('Slice', [b.input('x', 'float32', [2, 4])], { starts: [1, 1], ends: [9223372036854775807n, -1] }), 'float32');
    const x = f32([2, 4], [0, 1, 2, 3, 4, 5, 6, 7]);
    const out = Object.values(await runOrt(writeRawModel(importOnnx(b.encode())), { x }))[0];
    expect(out).toEqual({ dims: [1, 2], data: [5, 6] });
  });
});
