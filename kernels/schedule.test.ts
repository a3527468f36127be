// Register blocking as a schedule step: what the default picks for convolution- and GEMM-like
// maps, and the reason each illegal use is refused with.

import { describe, expect, it } from 'vitest';
import { acc, bin, read, v } from '../ir/expr.js';
import type { Buffer, MapOp, Program } from '../ir/program.js';
import { checkMapSchedule, defaultSchedule, resolveSchedule, suggestRegisterBlock, type MapSchedule } from './schedule.js';

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
  it('is suggested along the dim that saves the most loads (not yet the default)', () => {
    expect(suggestRegisterBlock(conv)).toEqual({ dim: 'oc', size: 4 }); // the padded input, loaded once
    expect(suggestRegisterBlock(matmul(64, 64, 64))).toEqual({ dim: 'm', size: 4 });
    expect(defaultSchedule(conv).registerBlock).toBeUndefined();
  });

  it('is not suggested for element-wise maps or short reductions', () => {
    expect(suggestRegisterBlock({ dims: [{ name: 'i', extent: 64 }], reads: [], body: { k: 'const', v: 1 }, write: { buffer: 'y', index: [v('i')] } })).toBeUndefined();
    expect(suggestRegisterBlock(matmul(64, 64, 4))).toBeUndefined();
  });

  it.each([
    [{ dim: 'q', size: 4 }, /register block dim 'q' is not a dim of the map \(m, n, k\)/],
    [{ dim: 'k', size: 4 }, /'k' is a reduce dim/],
    [{ dim: 'n', size: 3 }, /register block size 3 is not one of 2, 4, 8/],
    [{ dim: 'n', size: 16 }, /register block size 16 is not one of 2, 4, 8/],
  ])('refuses %j', (registerBlock, why) => {
    expect(checkMapSchedule(matmul(8, 8, 8), { ...serial, registerBlock })).toMatch(why);
  });

  it('refuses a map without a reduction and a workgroup tree', () => {
    const copy: MapOp = { dims: [{ name: 'i', extent: 64 }], reads: [], body: { k: 'const', v: 1 }, write: { buffer: 'y', index: [v('i')] } };
    expect(checkMapSchedule(copy, { ...serial, registerBlock: { dim: 'i', size: 4 } })).toMatch(/needs a reduction map/);
    expect(checkMapSchedule(matmul(8, 8, 8), { ...serial, reduction: 'workgroup-tree', registerBlock: { dim: 'n', size: 4 } }))
      .toMatch(/needs the serial reduction, not 'workgroup-tree'/);
  });

  const buffer = (name: string, shape: number[]): [string, Buffer] => [name, { name, shape, dtype: 'float32', kind: 'intermediate' }];
  const program: Program = {
    buffers: new Map([buffer('a', [8, 8]), buffer('b', [8, 8]), buffer('bias', [8]), buffer('y', [8, 8])]),
    constants: new Map(), inputs: [], outputs: [], kernels: [{ id: 'k1', ops: ['mm'], maps: [matmul(8, 8, 8)] }],
  };

  it('is a step: set, replaced, removed with size 1, dropped by a tree, refused with the reason', () => {
    const at = (steps: { t: string; at: string; p: Record<string, unknown> }[]) => resolveSchedule(program, { v: 1, steps }).get('k1.m0')!;
    expect(at([{ t: 'register-block', at: 'k1.m0', p: { dim: 'n', size: 8 } }]).registerBlock).toEqual({ dim: 'n', size: 8 });
    expect(at([{ t: 'register-block', at: 'k1', p: { dim: 'n', size: 1 } }]).registerBlock).toBeUndefined();
    expect(at([{ t: 'reduction', at: 'k1', p: { strategy: 'workgroup-tree' } }]).registerBlock).toBeUndefined();
    expect(() => at([{ t: 'register-block', at: 'k1', p: { dim: 'k', size: 2 } }]))
      .toThrow(/step 'register-block' at 'k1': register block dim 'k' is a reduce dim/);
  });
});
