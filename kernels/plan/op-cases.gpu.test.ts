// Single-operator models through the WebGPU plan, one per case, covering every operator family:
// elementwise, activations and casts; MatMul/Gemm/Conv/ConvTranspose/pools; reductions, softmax,
// norms and ArgMax; movement (Transpose, Concat, Split, Slice, Gather, Pad in every mode, Resize,
// DepthToSpace). Each runs on poisoned buffers and must match the reference interpreter (1e-4).

import { describe, expect, it } from 'vitest';
import type { Attribute } from '../../ir/graph.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { runReference } from '../../ir/reference.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { float, int, ints, resolveCase, str, type NodeCase } from '../../ir/testing/freight-only.js';
import { bools, integers, normal, rng, uniform } from '../../ir/testing/random.js';
import { tensorOf, type Tensor } from '../../ir/tensor.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from './compile-plan.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

const r = rng('op-cases');
const u = (...shape: number[]): Tensor => uniform(r, shape);
const n = (...shape: number[]): Tensor => normal(r, shape, 2);
const pos = (...shape: number[]): Tensor => uniform(r, shape, 0.1, 3);
const i64 = (xs: readonly number[]): { constant: Tensor } => ({ constant: tensorOf('int64', [xs.length], xs) });
const f32 = (xs: readonly number[]): { constant: Tensor } => ({ constant: tensorOf('float32', [xs.length], xs) });
const c = (t: Tensor): { constant: Tensor } => ({ constant: t });
const one = (op: string, inputs: NodeCase['inputs'], attrs: Record<string, Attribute> = {}, outputs = 1): NodeCase => ({ op, inputs, attrs, outputs });
const halves = tensorOf('float32', [10], [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7, 1e-3, 7.5]);

const CASES: Record<string, NodeCase> = {
  'Add (broadcast)': one('Add', [u(2, 3, 4), u(4)]),
  'Div': one('Div', [u(3, 4), pos(3, 4)]),
  'Pow (negative base, integer exponent)': one('Pow', [u(2, 5), f32([3])]),
  'Pow (float exponent)': one('Pow', [pos(2, 5), u(2, 5)]),
  'Erf': one('Erf', [n(4, 64)]),
  'Tanh': one('Tanh', [n(4, 64)]),
  'Sigmoid': one('Sigmoid', [tensorOf('float32', [6], [-100, -3, -1e-4, 0, 2, 100])]),
  'Gelu (erf)': one('Gelu', [n(3, 17)]),
  'HardSwish': one('HardSwish', [n(3, 17)]),
  'LeakyRelu': one('LeakyRelu', [u(3, 7)], { alpha: float(0.2) }),
  'Round (half to even)': one('Round', [halves]),
  'Log': one('Log', [pos(5, 5)]),
  'Sqrt': one('Sqrt', [pos(5, 5)]),
  'Not (runtime bool input)': one('Not', [bools(r, [3, 5])]),
  'Cast float → int64': one('Cast', [halves], { to: int(7) }),
  'Cast int64 → float': one('Cast', [integers(r, [4, 3], -50, 50)], { to: int(1) }),
  'Mod (integer, floor)': one('Mod', [integers(r, [12], -9, 9), c(tensorOf('int64', [12], [4, -4, 3, -3, 5, 2, -2, 7, 4, -4, 3, 5]))]),
  'Mod (fmod)': one('Mod', [u(3, 4), f32([0.3])], { fmod: int(1) }),
  'Where (bool condition)': one('Where', [c(tensorOf('bool', [4], [1, 0, 1, 0])), u(3, 4), u(4)]),
  'Equal (bool output)': one('Equal', [integers(r, [3, 4], 0, 3), integers(r, [4], 0, 3)]),
  'Clip': one('Clip', [u(4, 5), f32([-0.5]), f32([0.25])]),
  'MatMul (batched)': one('MatMul', [u(2, 3, 5), u(5, 4)]),
  'MatMul (broadcast batch)': one('MatMul', [u(2, 1, 3, 4), u(3, 4, 5)]),
  'Gemm (transB, alpha, beta)': one('Gemm', [u(3, 6), u(4, 6), u(4)], { transB: int(1), alpha: float(0.5), beta: float(2) }),
  'Conv (pads, strides)': one('Conv', [u(1, 3, 7, 6), u(4, 3, 3, 3), u(4)], { pads: ints([1, 1, 1, 1]), strides: ints([2, 1]) }),
  'Conv (groups, dilations)': one('Conv', [u(2, 4, 8, 8), u(6, 2, 3, 3)], { group: int(2), dilations: ints([2, 2]), pads: ints([2, 1, 2, 1]) }),
  'Conv (depthwise)': one('Conv', [u(1, 4, 5, 5), u(4, 1, 3, 3)], { group: int(4), pads: ints([1, 1, 1, 1]) }),
  'ConvTranspose (strides, output_padding)': one('ConvTranspose', [u(1, 3, 4, 4), u(3, 2, 3, 3), u(2)], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), output_padding: ints([1, 1]) }),
  'ConvTranspose (groups)': one('ConvTranspose', [u(1, 4, 3, 3), u(4, 1, 2, 2)], { group: int(2), strides: ints([2, 2]) }),
  'MaxPool (pads, strides, indices)': one('MaxPool', [u(1, 2, 7, 7)], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }, 2),
  'AveragePool (count_include_pad 0)': one('AveragePool', [u(1, 2, 6, 6)], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }),
  'GlobalAveragePool': one('GlobalAveragePool', [u(2, 3, 20, 20)]),
  'ReduceSum (axes, keepdims)': one('ReduceSum', [u(2, 3, 4), i64([0, 2])]),
  'ReduceMax (no keepdims)': one('ReduceMax', [u(3, 5, 2)], { keepdims: int(0), axes: ints([1]) }),
  'ReduceMean (long: workgroup tree)': one('ReduceMean', [u(3, 3000), i64([1])]),
  'ReduceLogSumExp': one('ReduceLogSumExp', [u(4, 6), i64([1])]),
  'Softmax': one('Softmax', [n(3, 4, 9)], { axis: int(-1) }),
  'LayerNormalization': one('LayerNormalization', [u(2, 5, 16), u(16), u(16)], { axis: int(-1) }),
  'BatchNormalization': one('BatchNormalization', [u(2, 3, 4, 4), u(3), u(3), u(3), pos(3)]),
  'InstanceNormalization': one('InstanceNormalization', [u(2, 3, 5, 5), u(3), u(3)]),
  'ArgMax (select_last_index)': one('ArgMax', [c(tensorOf('float32', [2, 4], [1, 3, 3, 0, 5, 5, 1, 5]))], { axis: int(1), keepdims: int(0), select_last_index: int(1) }),
  'ArgMin': one('ArgMin', [u(3, 7)], { axis: int(1) }),
  'Transpose': one('Transpose', [u(2, 3, 4, 5)], { perm: ints([0, 3, 1, 2]) }),
  'Concat': one('Concat', [u(2, 3), u(2, 1), u(2, 4)], { axis: int(1) }),
  'Split (three outputs)': one('Split', [u(6, 4), i64([1, 2, 3])], { axis: int(0) }, 3),
  'Slice (negative steps)': one('Slice', [u(5, 6), i64([4, 1]), i64([0, 6]), i64([0, 1]), i64([-2, 2])]),
  'Gather (negative indices)': one('Gather', [u(5, 3), c(tensorOf('int64', [2, 2], [0, -1, 3, -5]))], { axis: int(0) }),
  'Pad (constant)': one('Pad', [u(2, 3), i64([1, 0, 2, 1]), f32([2.5])]),
  'Pad (reflect)': one('Pad', [u(4, 5), i64([2, 1, 3, 2])], { mode: str('reflect') }),
  'Pad (edge)': one('Pad', [u(3, 4), i64([2, 4, 1, 7])], { mode: str('edge') }),
  'Pad (wrap)': one('Pad', [u(2, 3), i64([0, 2, 2, 7])], { mode: str('wrap') }),
  'Resize (nearest)': one('Resize', [u(1, 2, 3, 4), null, f32([1, 1, 2, 1.5])], { mode: str('nearest') }),
  'Resize (linear, half_pixel)': one('Resize', [u(1, 2, 3, 4), null, f32([1, 1, 2.5, 1.5])], { mode: str('linear') }),
  'DepthToSpace (CRD)': one('DepthToSpace', [u(1, 8, 2, 3)], { blocksize: int(2), mode: str('CRD') }),
  'DepthToSpace (DCR)': one('DepthToSpace', [u(2, 18, 2, 2)], { blocksize: int(3), mode: str('DCR') }),
};

describe('operators on WebGPU', () => {
  it.each(Object.entries(CASES))('%s', async (_, nc) => {
    const graph = resolveCase(nc);
    const runtime: Record<string, Tensor> = {};
    nc.inputs.forEach((x, i) => { if (x && !('constant' in x)) runtime[`in${i}`] = x; });
    const want = runReference(graph, runtime);
    const plan = await compilePlan(lowerGraph(graph), await gpu());
    const got = await plan.run(runtime, { poison: true });
    for (const [name, expected] of want) {
      const cmp = compareTensors(got.get(name)!, expected, 1e-4);
      expect(cmp.ok, `${name}: ${cmp.detail}`).toBe(true);
    }
  });
});
