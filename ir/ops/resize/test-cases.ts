// Shared inputs of the Resize tests: the shape cases every coordinate mode is checked on, a
// checkOp case builder (roi, scales and sizes as constant inputs), and a RawModel builder.

import type { Attribute, RawModel, ValueDecl } from '../../graph.js';
import type { AttrSpec, OpCase } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { tensorOf, type DType, type Tensor } from '../../tensor.js';

export interface ShapeCase {
  readonly name: string;
  readonly shape: readonly number[];
  readonly scales?: readonly number[];
  readonly sizes?: readonly number[];
}

/** Upsampling by 2 and 3, downsampling by 0.5 with 1.5, and non-integer scales from sizes. */
export const SHAPE_CASES: readonly ShapeCase[] = [
  { name: 'scales 2 (5→10) and 3 (4→12)', shape: [1, 2, 5, 4], scales: [1, 1, 2, 3] },
  { name: 'scales 0.5 (5→2) and 1.5 (4→6)', shape: [1, 2, 5, 4], scales: [1, 1, 0.5, 1.5] },
  { name: 'sizes 5→7 and 7→5', shape: [1, 2, 5, 7], sizes: [1, 2, 7, 5] },
  { name: 'sizes 7→10 and 10→7', shape: [1, 2, 7, 10], sizes: [1, 2, 10, 7] },
];

const r = rng('resize');

export function resizeCase(
  x: Tensor, attrs: Readonly<Record<string, AttrSpec>>,
  { roi, scales, sizes }: { roi?: readonly number[]; scales?: readonly number[]; sizes?: readonly number[] },
): OpCase {
  const floats = (xs: readonly number[]): { constant: Tensor } => ({ constant: tensorOf('float32', [xs.length], xs) });
  return {
    op: 'Resize',
    inputs: [
      x,
      roi ? floats(roi) : null,
      scales ? floats(scales) : null,
      sizes ? { constant: tensorOf('int64', [sizes.length], sizes) } : null,
    ],
    attrs,
  };
}

export const input = (shape: readonly number[]): Tensor => uniform(r, shape, -2, 2);

/** A tf_crop_and_resize roi for a 4-D case: N and C whole, H and W cropped beyond both edges. */
export const CROP_ROI: readonly number[] = [0, 0, -0.1, 0.15, 1, 1, 0.8, 1.2];

/**
 * A one-Resize RawModel for tests that stop before ONNX Runtime (refusals, the lowering's shape):
 * inputs named x, roi, scales, sizes; a Tensor is an initializer, a shape a runtime input.
 */
export function resizeModel(
  x: readonly number[], attrs: Readonly<Record<string, Attribute>>,
  extra: { roi?: Tensor | readonly number[]; scales?: Tensor | readonly number[]; sizes?: Tensor | readonly number[] },
  dtype: DType = 'float32',
): RawModel {
  const runtime: ValueDecl[] = [{ name: 'x', dtype, shape: [...x] }];
  const initializers = new Map<string, Tensor>();
  const inputs = ['x', '', '', ''];
  (['roi', 'scales', 'sizes'] as const).forEach((name, k) => {
    const given = extra[name];
    if (!given) return;
    inputs[k + 1] = name;
    if ('dtype' in given) initializers.set(name, given);
    else runtime.push({ name, dtype: name === 'sizes' ? 'int64' : 'float32', shape: [...given] });
  });
  return {
    opset: 21, irVersion: 10, producer: 'test',
    graph: {
      name: 'resize', inputs: runtime, outputs: [{ name: 'y', dtype, shape: null }], initializers,
      nodes: [{ name: 'node', op: 'Resize', domain: '', inputs, outputs: ['y'], attrs }],
    },
  };
}

export const str = (value: string): Attribute => ({ kind: 'string', value });
export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const floatsOf = (xs: readonly number[]): Tensor => tensorOf('float32', [xs.length], xs);
export const int64sOf = (xs: readonly number[]): Tensor => tensorOf('int64', [xs.length], xs);
