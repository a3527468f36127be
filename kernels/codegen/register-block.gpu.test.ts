// Register-blocked kernels on WebGPU against the loop interpreter, outputs poisoned with NaN:
// convolution blocked along its output channel and its width (and both), GEMM along m and n (and
// both), every block size, extents that do not divide by it, an epilogue per accumulator and an indirect read.

import { describe, expect, it } from 'vitest';
import { acc, bin, c, read, sel, v } from '../../ir/expr.js';
import type { Buffer, MapOp, Program } from '../../ir/program.js';
import { runProgram } from '../../ir/loop/run-program.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { rng, uniform } from '../../ir/testing/random.js';
import { tensorOf, type Tensor } from '../../ir/tensor.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { compilePlan } from '../plan/compile-plan.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

const buffer = (name: string, shape: number[], kind: Buffer['kind'], dtype: Buffer['dtype'] = 'float32'): [string, Buffer] =>
  [name, { name, shape, dtype, kind }];

/** Y[oc, oh, ow] = relu(Σ X[c, 2oh + kh - 1, 2ow + kw - 1] · W[oc, c, kh, kw] + bias[oc]): stride 2, pad 1. */
function convProgram(OC: number, H: number, W: number): Program {
  const OH = Math.floor((H + 2 - 3) / 2) + 1;
  const OW = Math.floor((W + 2 - 3) / 2) + 1;
  const C = 3;
  const map: MapOp = {
    dims: [{ name: 'oc', extent: OC }, { name: 'oh', extent: OH }, { name: 'ow', extent: OW },
      { name: 'c', extent: C, reduce: true }, { name: 'kh', extent: 3, reduce: true }, { name: 'kw', extent: 3, reduce: true }],
    reads: [
      { buffer: 'x', index: [v('c'), bin('add', bin('mul', v('oh'), c(2)), bin('sub', v('kh'), c(1))), bin('add', bin('mul', v('ow'), c(2)), bin('sub', v('kw'), c(1)))], pad: 0 },
      { buffer: 'w', index: [v('oc'), v('c'), v('kh'), v('kw')] },
      { buffer: 'bias', index: [v('oc')] },
    ],
    body: bin('mul', read(0), read(1)),
    write: { buffer: 'y', index: [v('oc'), v('oh'), v('ow')], wcr: 'sum' },
    epilogue: bin('max', bin('add', acc, read(2)), c(0)),
  };
  return {
    buffers: new Map([buffer('x', [C, H, W], 'input'), buffer('w', [OC, C, 3, 3], 'input'), buffer('bias', [OC], 'input'), buffer('y', [OC, OH, OW], 'output')]),
    constants: new Map(), inputs: ['x', 'w', 'bias'], outputs: [{ name: 'y', buffer: 'y' }],
    kernels: [{ id: 'k1', ops: ['conv'], maps: [map] }],
  };
}

/** Y[m, n] = max_k A[m, perm[k]] · B[k, n] (an indirect read), then · 2 where n is odd. */
function gemmProgram(M: number, N: number, K: number): Program {
  const map: MapOp = {
    dims: [{ name: 'm', extent: M }, { name: 'n', extent: N }, { name: 'k', extent: K, reduce: true }],
    reads: [{ buffer: 'perm', index: [v('k')] }, { buffer: 'a', index: [v('m'), read(0)] }, { buffer: 'b', index: [v('k'), v('n')] }],
    body: bin('mul', read(1), read(2)),
    write: { buffer: 'y', index: [v('m'), v('n')], wcr: 'max' },
    epilogue: sel(bin('eq', bin('mod', v('n'), c(2)), c(1)), bin('mul', acc, c(2)), acc),
  };
  return {
    buffers: new Map([buffer('perm', [K], 'input', 'int32'), buffer('a', [M, K], 'input'), buffer('b', [K, N], 'input'), buffer('y', [M, N], 'output')]),
    constants: new Map(), inputs: ['perm', 'a', 'b'], outputs: [{ name: 'y', buffer: 'y' }],
    kernels: [{ id: 'k1', ops: ['gemm'], maps: [map] }],
  };
}

/** Blocks `spec` is `dim:size[,dim:size]`. */
async function check(p: Program, inputs: Record<string, Tensor>, spec: string): Promise<void> {
  const blocks = spec.split(',').map((b) => b.split(':')).map(([dim, size]) => ({ dim, size: Number(size) }));
  const want = runProgram(p, inputs).get('y')!;
  // The default blocks first removed (size 1), then the ones under test.
  const parallel = p.kernels[0].maps[0].dims.filter((d) => !d.reduce).map((d) => ({ dim: d.name, size: 1 }));
  const steps = [...parallel, ...blocks].map((p) => ({ t: 'register-block', at: 'k1.m0', p }));
  const plan = await compilePlan(p, await gpu(), { v: 1, steps });
  expect(plan.dispatches[0].schedule.registerBlocks).toEqual(blocks);
  expect(plan.dispatches[0].code).toContain(`var acc${blocks.map((b) => b.size - 1).join('_')}: f32`);
  const got = (await plan.run(inputs, { poison: true })).get('y')!;
  const cmp = compareTensors(got, want);
  expect(cmp.ok, cmp.detail).toBe(true);
}

describe('register-blocked convolution', () => {
  const r = rng('conv-block');
  it.each([
    ['oc:2', 6], ['oc:4', 7], ['oc:8', 13], ['ow:4', 8], ['ow:2', 5], ['oh:2', 3],
    ['oc:4,ow:4', 7], ['oh:2,oc:8', 9], ['oc:4,ow:8', 4],
  ])('blocked %s (%i output channels)', async (spec, OC) => {
    const p = convProgram(OC, 9, 11);
    await check(p, { x: uniform(r, [3, 9, 11]), w: uniform(r, [OC, 3, 3, 3]), bias: uniform(r, [OC]) }, spec);
  });
});

describe('register-blocked GEMM', () => {
  const r = rng('gemm-block');
  it.each([['n:4', 10], ['m:8', 9], ['n:2', 7], ['m:4,n:4', 9], ['n:8,m:2', 6]])('blocked %s (extents %i)', async (spec, E) => {
    const K = 12;
    const perm = tensorOf('int32', [K], Array.from({ length: K }, (_, i) => (i * 5) % K));
    await check(gemmProgram(E, E + 1, K), { perm, a: uniform(r, [E, K]), b: uniform(r, [K, E + 1]) }, spec);
  });
});
