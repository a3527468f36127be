// Register blocking as a schedule step: what the default picks for convolution- and GEMM-like
// maps, and the reason each illegal use is refused with.

import { describe, expect, it } from 'vitest';
import { acc, bin, read, v } from '../ir/expr.js';
import type { Buffer, MapOp, Program } from '../ir/program.js';
import { checkMapSchedule, DEFAULT_TARGET, defaultSchedule, resolveSchedule, suggestRegisterBlocks, type MapSchedule } from './schedule.js';

/** Y[m, n] = Σ_k A[m, k] · B[k, n] + bias[n]. */
const matmul = (M: number, N: number, K: number): MapOp => ({
  dims: [{ name: 'm', extent: M }, { name: 'n', extent: N }, { name: 'k', extent: K, reduce: true }],
  reads: [{ buffer: 'a', index: [v('m'), v('k')] }, { buffer: 'b', index: [v('k'), v('n')] }, { buffer: 'bias', index: [v('n')] }],
  body: bin('mul', read(0), read(1)),
  write: { buffer: 'y', index: [v('m'), v('n')], wcr: 'sum' },
  epilogue: bin('add', acc, read(2)),
});

/** A 3×3 convolution, padding 1: X read guarded, W not. */
const conv: MapOp = {
  dims: [{ name: 'oc', extent: 16 }, { name: 'oh', extent: 8 }, { name: 'ow', extent: 8 },
    { name: 'c', extent: 8, reduce: true }, { name: 'kh', extent: 3, reduce: true }, { name: 'kw', extent: 3, reduce: true }],
  reads: [
    { buffer: 'x', index: [v('c'), bin('add', v('oh'), bin('sub', v('kh'), { k: 'const', v: 1 })), bin('add', v('ow'), bin('sub', v('kw'), { k: 'const', v: 1 }))], pad: 0 },
    { buffer: 'w', index: [v('oc'), v('c'), v('kh'), v('kw')] },
  ],
  body: bin('mul', read(0), read(1)),
  write: { buffer: 'y', index: [v('oc'), v('oh'), v('ow')], wcr: 'sum' },
};

const serial: MapSchedule = { workgroupSize: 64, bind: 'flat', reduction: 'serial' };

describe('register blocking', () => {
  const cpu = { maxInvocations: 256, concurrency: 8, workgroupsAtOnce: 2, simdWidth: 4 };

  it('is the default along the dims that save the most loads per output', () => {
    // GEMM: a 4×4 tile loads 4 rows of A and 4 columns of B for 16 outputs.
    expect(suggestRegisterBlocks(matmul(64, 64, 64), cpu)).toEqual([{ dim: 'm', size: 4 }, { dim: 'n', size: 4 }]);
    // Convolution: blocking the output channel shares the padded input, the width shares weights.
    expect(suggestRegisterBlocks(conv, cpu)).toEqual([{ dim: 'oc', size: 4 }, { dim: 'ow', size: 4 }]);
    expect(defaultSchedule(conv, cpu).registerBlocks).toEqual([{ dim: 'oc', size: 4 }, { dim: 'ow', size: 4 }]);
  });

  it('is not suggested where it would idle the device, for element-wise maps or short reductions', () => {
    // 64×64 outputs in 16-output tiles are 256 invocations: too few for a GPU running 32768.
    expect(suggestRegisterBlocks(matmul(64, 64, 64), DEFAULT_TARGET)).toEqual([]);
    expect(suggestRegisterBlocks(matmul(512, 512, 64), DEFAULT_TARGET)).toEqual([{ dim: 'm', size: 4 }, { dim: 'n', size: 4 }]);
    expect(suggestRegisterBlocks({ dims: [{ name: 'i', extent: 64 }], reads: [], body: { k: 'const', v: 1 }, write: { buffer: 'y', index: [v('i')] } }, cpu)).toEqual([]);
    expect(suggestRegisterBlocks(matmul(64, 64, 4), cpu)).toEqual([]);
  });

  it('gives way to a workgroup tree only where outputs are too few for the device', () => {
    const matvec = matmul(1, 64, 4096);
    expect(defaultSchedule(matvec, DEFAULT_TARGET).reduction).toBe('workgroup-tree');
    expect(defaultSchedule(matvec, cpu).reduction).toBe('serial');
  });

  it.each([
    [{ dim: 'q', size: 4 }, /register block dim 'q' is not a dim of the map \(m, n, k\)/],
    [{ dim: 'k', size: 4 }, /'k' is a reduce dim/],
    [{ dim: 'n', size: 3 }, /register block size 3 is not one of 2, 4, 8/],
    [{ dim: 'n', size: 16 }, /register block size 16 is not one of 2, 4, 8/],
  ])('refuses %j', (block, why) => {
    expect(checkMapSchedule(matmul(8, 8, 8), { ...serial, registerBlocks: [block] })).toMatch(why);
  });

  it('refuses more than two blocked dims or more than 32 accumulators', () => {
    const mm = { ...matmul(8, 8, 8), dims: [{ name: 'b', extent: 4 }, ...matmul(8, 8, 8).dims] };
    expect(checkMapSchedule(mm, { ...serial, registerBlocks: [{ dim: 'b', size: 2 }, { dim: 'm', size: 2 }, { dim: 'n', size: 2 }] }))
      .toMatch(/along 3 dims; at most 2/);
    expect(checkMapSchedule(mm, { ...serial, registerBlocks: [{ dim: 'm', size: 8 }, { dim: 'n', size: 8 }] }))
      .toMatch(/m×8, n×8 need 64 accumulators; at most 32/);
  });

  it('refuses a map without a reduction and a workgroup tree', () => {
    const copy: MapOp = { dims: [{ name: 'i', extent: 64 }], reads: [], body: { k: 'const', v: 1 }, write: { buffer: 'y', index: [v('i')] } };
    expect(checkMapSchedule(copy, { ...serial, registerBlocks: [{ dim: 'i', size: 4 }] })).toMatch(/needs a reduction map/);
    expect(checkMapSchedule(matmul(8, 8, 8), { ...serial, reduction: 'workgroup-tree', registerBlocks: [{ dim: 'n', size: 4 }] }))
      .toMatch(/needs the serial reduction, not 'workgroup-tree'/);
  });

  const buffer = (name: string, shape: number[]): [string, Buffer] => [name, { name, shape, dtype: 'float32', kind: 'intermediate' }];
  const program: Program = {
    buffers: new Map([buffer('a', [8, 8]), buffer('b', [8, 8]), buffer('bias', [8]), buffer('y', [8, 8])]),
    constants: new Map(), inputs: [], outputs: [], kernels: [{ id: 'k1', ops: ['mm'], maps: [matmul(8, 8, 8)] }],
  };

  it('is a step: set, replaced, removed with size 1, dropped by a tree, refused with the reason', () => {
    const at = (steps: { t: string; at: string; p: Record<string, unknown> }[]) => resolveSchedule(program, { v: 1, steps }).get('k1.m0')!;
    const n8 = { t: 'register-block', at: 'k1.m0', p: { dim: 'n', size: 8 } };
    expect(at([n8]).registerBlocks).toEqual([{ dim: 'n', size: 8 }]);
    expect(at([n8, { t: 'register-block', at: 'k1', p: { dim: 'm', size: 2 } }]).registerBlocks).toEqual([{ dim: 'n', size: 8 }, { dim: 'm', size: 2 }]);
    expect(at([n8, { t: 'register-block', at: 'k1', p: { dim: 'n', size: 1 } }]).registerBlocks).toBeUndefined();
    expect(at([n8, { t: 'reduction', at: 'k1', p: { strategy: 'workgroup-tree' } }]).registerBlocks).toBeUndefined();
    expect(() => at([{ t: 'register-block', at: 'k1', p: { dim: 'k', size: 2 } }]))
      .toThrow(/step 'register-block' at 'k1': register block dim 'k' is a reduce dim/);
  });
});
