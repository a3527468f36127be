// Schedule steps: register blocking (what the default picks for convolution- and GEMM-like maps),
// subgroup reductions, unroll, reorder and vectorize, each set, replaced and removed, and the reason
// each illegal use is refused with.

import { describe, expect, it } from 'vitest';
import { FreightError } from '../ir/errors.js';
import { acc, bin, read, v } from '../ir/expr.js';
import type { Buffer, MapOp, Program } from '../ir/program.js';
import { defaultSchedule, suggestRegisterBlocks } from './default-schedule.js';
import { checkMapSchedule, DEFAULT_TARGET, resolveSchedule, type MapSchedule, type ScheduleStep } from './schedule.js';

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
  const cpu = { maxInvocations: 256, concurrency: 8, workgroupsAtOnce: 2, simdWidth: 4, subgroups: false, subgroupSize: 4 };

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

describe('subgroup reduction', () => {
  const gpu = { ...DEFAULT_TARGET, subgroups: true, subgroupSize: 16 };
  const buffer = (name: string, shape: number[]): [string, Buffer] => [name, { name, shape, dtype: 'float32', kind: 'intermediate' }];
  const program: Program = {
    buffers: new Map([buffer('a', [2, 512]), buffer('b', [512, 2]), buffer('bias', [2]), buffer('y', [2, 2])]),
    constants: new Map(), inputs: [], outputs: [], kernels: [{ id: 'k1', ops: ['mm'], maps: [matmul(2, 2, 512)] }],
  };
  const subgroup = { t: 'reduction', at: 'k1', p: { strategy: 'subgroup' } };
  const size = (n: number) => ({ t: 'workgroup-size', at: 'k1', p: { size: n } });
  const at = (target: typeof gpu, ...steps: ScheduleStep[]): MapSchedule => resolveSchedule(program, { v: 1, steps }, target).get('k1.m0')!;

  it('replaces the workgroup tree by default where the device has subgroups', () => {
    expect(defaultSchedule(matmul(1, 64, 4096), gpu)).toEqual({ workgroupSize: 16, bind: 'flat', reduction: 'subgroup' });
    expect(defaultSchedule(matmul(1, 64, 4096), DEFAULT_TARGET).reduction).toBe('workgroup-tree');
    expect(defaultSchedule(matmul(512, 512, 4096), gpu).reduction).toBe('serial');
  });

  it('is a step that sizes the workgroup to one subgroup and drops register blocks', () => {
    const blocked = { t: 'register-block', at: 'k1', p: { dim: 'n', size: 2 } };
    expect(at(gpu, subgroup, { t: 'reduction', at: 'k1', p: { strategy: 'serial' } }, blocked).registerBlocks).toEqual([{ dim: 'n', size: 2 }]);
    expect(at(gpu, subgroup, { t: 'reduction', at: 'k1', p: { strategy: 'serial' } }, blocked, subgroup))
      .toEqual({ workgroupSize: 16, bind: 'flat', reduction: 'subgroup' });
    expect(at(gpu, subgroup, size(8)).workgroupSize).toBe(8);
  });

  it('is refused without subgroups, in a workgroup larger than one subgroup, or without a reduction', () => {
    expect(() => at(DEFAULT_TARGET, subgroup))
      .toThrow(/step 'reduction' at 'k1': a subgroup reduction needs subgroup operations, which the device does not offer/);
    expect(() => at(gpu, subgroup, size(32)))
      .toThrow(/runs one subgroup per workgroup: workgroup size 32 exceeds the device's subgroup size 16/);
    const copy: MapOp = { dims: [{ name: 'i', extent: 64 }], reads: [], body: { k: 'const', v: 1 }, write: { buffer: 'y', index: [v('i')] } };
    expect(checkMapSchedule(copy, { ...serial, workgroupSize: 16, reduction: 'subgroup' }, gpu)).toMatch(/a subgroup reduction needs a reduction map/);
    expect(checkMapSchedule(matmul(8, 8, 8), { ...serial, reduction: 'subgroup', registerBlocks: [{ dim: 'n', size: 4 }] }, gpu))
      .toMatch(/a subgroup reduction runs one subgroup per workgroup: workgroup size 64/);
    expect(checkMapSchedule(matmul(8, 8, 8), { ...serial, workgroupSize: 16, reduction: 'subgroup', registerBlocks: [{ dim: 'n', size: 4 }] }, gpu))
      .toMatch(/register blocking needs the serial reduction, not 'subgroup'/);
  });
});

describe('unroll, reorder and vectorize steps', () => {
  const buffer = (name: string, shape: number[], dtype: Buffer['dtype'] = 'float32'): [string, Buffer] => [name, { name, shape, dtype, kind: 'intermediate' }];
  /** The GEMM plus an in-place read of Y, a padded read, a gather through an int index and a strided read. */
  const mm: MapOp = {
    ...matmul(8, 8, 8),
    reads: [...matmul(8, 8, 8).reads,
      { buffer: 'y', index: [v('m'), v('n')] },
      { buffer: 'b', index: [v('k'), bin('add', v('n'), { k: 'const', v: 1 })], pad: 0 },
      { buffer: 'idx', index: [v('n')] },
      { buffer: 'b', index: [v('k'), read(5)] },
      { buffer: 'b', index: [v('k'), bin('idiv', v('n'), { k: 'const', v: 2 })] },
      { buffer: 'flat', index: [bin('add', v('n'), { k: 'const', v: 2 })] },
      { buffer: 'b6', index: [v('k'), v('n')] }],
  };
  const program: Program = {
    buffers: new Map([buffer('a', [8, 8]), buffer('b', [8, 8]), buffer('bias', [8]), buffer('y', [8, 8]), buffer('idx', [8], 'int32'),
      buffer('flat', [16]), buffer('b6', [8, 6])]),
    constants: new Map(), inputs: [], outputs: [], kernels: [{ id: 'k1', ops: ['mm'], maps: [mm] }],
  };
  const step = (t: string, p: Record<string, unknown>) => ({ t, at: 'k1.m0', p });
  const at = (...steps: ReturnType<typeof step>[]): MapSchedule => resolveSchedule(program, { v: 1, steps }).get('k1.m0')!;
  const plain: Program = { ...program, kernels: [{ id: 'k1', ops: ['mm'], maps: [matmul(8, 8, 8)] }] };
  const atPlain = (...steps: ReturnType<typeof step>[]): MapSchedule => resolveSchedule(plain, { v: 1, steps }).get('k1.m0')!;
  const refused = (...steps: ReturnType<typeof step>[]) => expect(() => at(...steps)).toThrow(FreightError);

  it('unroll: set, replaced, removed with factor 1, dropped by a tree', () => {
    expect(at(step('unroll', { dim: 'k', factor: 4 })).unroll).toEqual([{ dim: 'k', factor: 4 }]);
    expect(at(step('unroll', { dim: 'k', factor: 4 }), step('unroll', { dim: 'k', factor: 8 })).unroll).toEqual([{ dim: 'k', factor: 8 }]);
    expect(at(step('unroll', { dim: 'k', factor: 4 }), step('unroll', { dim: 'k', factor: 1 })).unroll).toBeUndefined();
    expect(at(step('unroll', { dim: 'k', factor: 4 }), step('reduction', { strategy: 'workgroup-tree' })).unroll).toBeUndefined();
  });

  it.each([
    [{ dim: 'k', factor: 3 }, /unroll factor 3 is not one of 2, 4, 8/],
    [{ dim: 'k', factor: 16 }, /unroll factor 16 is not one of 2, 4, 8/],
    [{ dim: 'q', factor: 2 }, /unroll dim 'q' is not a dim of the map \(m, n, k\)/],
    [{ dim: 'n', factor: 2 }, /unroll dim 'n' is a parallel dim; only the loops of reduce dims unroll/],
  ])('unroll refuses %j', (p, why) => {
    expect(() => at(step('unroll', p))).toThrow(why);
    refused(step('unroll', p));
  });

  it('unroll refuses a workgroup tree', () => {
    expect(checkMapSchedule(mm, { ...serial, reduction: 'workgroup-tree', unroll: [{ dim: 'k', factor: 2 }] }))
      .toMatch(/unrolling needs the serial reduction, not 'workgroup-tree'/);
  });

  it('reorder: set and removed with null', () => {
    expect(at(step('reorder', { order: ['n', 'm', 'k'] })).order).toEqual(['n', 'm', 'k']);
    expect(at(step('reorder', { order: ['n', 'm', 'k'] }), step('reorder', { order: null })).order).toBeUndefined();
  });

  it.each([
    [['m', 'n'], /reorder lists 2 dims; the map has 3 \(m, n, k\)/],
    ['m,n,k', /reorder lists 0 dims; the map has 3/],
    [['m', 'q', 'k'], /reorder names 'q', not a dim of the map \(m, n, k\)/],
    [['m', 'm', 'k'], /reorder names 'm' twice/],
    [['m', 'k', 'n'], /reorder puts reduce dim 'k' in the place of parallel dim 'n'; dims reorder only among their kind/],
  ])('reorder refuses %j', (order, why) => {
    expect(() => at(step('reorder', { order }))).toThrow(why);
  });

  const n4 = step('register-block', { dim: 'n', size: 4 });
  it('vectorize: set, replaced, removed with dim null, dropped by a tree', () => {
    const b = step('vectorize', { access: 1, dim: 'n' });
    expect(atPlain(n4, b).vectorized).toEqual([{ access: 1, dim: 'n' }]);
    expect(atPlain(n4, b, step('vectorize', { access: 'write', dim: 'n' })).vectorized).toEqual([{ access: 1, dim: 'n' }, { access: 'write', dim: 'n' }]);
    expect(atPlain(step('unroll', { dim: 'k', factor: 4 }), step('vectorize', { access: 0, dim: 'k' })).vectorized).toEqual([{ access: 0, dim: 'k' }]);
    expect(atPlain(n4, b, step('vectorize', { access: 1, dim: null })).vectorized).toBeUndefined();
    expect(atPlain(n4, b, step('reduction', { strategy: 'workgroup-tree' })).vectorized).toBeUndefined();
  });

  it.each([
    [[n4], { access: 10, dim: 'n' }, /vec4 access 10 is neither 'write' nor a read of the map \(0 to 9\)/],
    [[n4], { access: 1, dim: 'q' }, /vec4 of read 1 along 'q': not a dim of the map/],
    [[n4], { access: 5, dim: 'n' }, /vec4 of read 5: its buffer holds int32, not float32/],
    [[n4], { access: 'write', dim: 'n' }, /vec4 of the write: read 3 reads the written buffer, and a read_write binding cannot be aliased/],
    [[n4], { access: 3, dim: 'n' }, /vec4 of read 3: it reads the written buffer/],
    [[n4], { access: 4, dim: 'n' }, /vec4 of read 4: a guarded \(padded\) read cannot be loaded four at a time/],
    [[n4], { access: 6, dim: 'n' }, /vec4 of read 6: an indirect read is not contiguous/],
    [[step('register-block', { dim: 'n', size: 2 })], { access: 1, dim: 'n' }, /its register block of 2 is not a multiple of 4/],
    [[step('unroll', { dim: 'k', factor: 2 })], { access: 0, dim: 'k' }, /it is unrolled by 2, not a multiple of 4/],
    [[n4], { access: 0, dim: 'm' }, /vec4 of read 0 along 'm': the dim must be register-blocked by 4 or 8 or unrolled by 4 or 8/],
    [[step('unroll', { dim: 'k', factor: 4 })], { access: 'write', dim: 'k' }, /vec4 of the write along 'k': the dim must be register-blocked by 4 or 8$/],
    [[n4], { access: 7, dim: 'n' }, /vec4 of read 7: its index is not affine/],
    [[step('register-block', { dim: 'm', size: 4 })], { access: 0, dim: 'm' }, /consecutive values of 'm' are 8 elements apart, not 1/],
    [[n4], { access: 9, dim: 'n' }, /vec4 of read 9: 'k' moves it by 6 elements, not a multiple of 4, so it is not aligned/],
    [[n4], { access: 8, dim: 'n' }, /vec4 of read 8: it starts 2 elements in, not a multiple of 4, so it is not aligned/],
  ])('vectorize after %j refuses %j', (before, p, why) => {
    expect(() => at(...before, step('vectorize', p))).toThrow(why);
  });

  it('vectorize refuses an extent that is not a multiple of 4, and needs the buffers to prove alignment', () => {
    const m6 = matmul(8, 6, 8);
    expect(checkMapSchedule(m6, { ...serial, registerBlocks: [{ dim: 'n', size: 4 }], vectorized: [{ access: 1, dim: 'n' }] }, DEFAULT_TARGET, {
      buffer: (name) => program.buffers.get(name === 'b' ? 'b6' : name)!, root: (name) => program.buffers.get(name)!,
    })).toMatch(/vec4 of read 1 along 'n': the extent 6 is not a multiple of 4/);
    expect(checkMapSchedule(mm, { ...serial, registerBlocks: [{ dim: 'n', size: 4 }], vectorized: [{ access: 1, dim: 'n' }] }))
      .toMatch(/vec4 accesses need the program's buffers to prove their alignment/);
  });
});

describe('vec4 by default', () => {
  const cpu = { maxInvocations: 256, concurrency: 8, workgroupsAtOnce: 2, simdWidth: 4, subgroups: false, subgroupSize: 4 };
  const shapes: Record<string, number[]> = { a: [64, 64], b: [64, 64], bias: [64], y: [64, 64] };
  const buffers = { buffer: (name: string): Buffer => ({ name, shape: shapes[name], dtype: 'float32', kind: 'intermediate' }) };
  const lookup = { ...buffers, root: buffers.buffer };

  it('loads B and the bias and stores Y as vec4 along the blocked n, not A (strided along m)', () => {
    expect(defaultSchedule(matmul(64, 64, 64), cpu, lookup).vectorized)
      .toEqual([{ access: 1, dim: 'n' }, { access: 2, dim: 'n' }, { access: 'write', dim: 'n' }]);
    expect(defaultSchedule(matmul(64, 64, 64), cpu).vectorized).toBeUndefined();
  });

  it('leaves a buffer scalar where one of its reads cannot be vec4 (no second binding)', () => {
    const both: MapOp = { ...matmul(64, 64, 64), reads: [...matmul(64, 64, 64).reads.slice(0, 2), { buffer: 'b', index: [v('n'), { k: 'const', v: 0 }] }] };
    expect(defaultSchedule(both, cpu, lookup).vectorized).toEqual([{ access: 'write', dim: 'n' }]);
  });

  const program: Program = {
    buffers: new Map(Object.keys(shapes).map((name) => [name, buffers.buffer(name)])),
    constants: new Map(), inputs: [], outputs: [], kernels: [{ id: 'k1', ops: ['mm'], maps: [matmul(64, 64, 64)] }],
  };
  const at = (...steps: { t: string; p: Record<string, unknown> }[]): MapSchedule =>
    resolveSchedule(program, { v: 1, steps: steps.map((s) => ({ ...s, at: 'k1' })) }, cpu).get('k1.m0')!;

  it('drops a vec4 access whose dim a later step leaves without groups of four', () => {
    expect(at().vectorized).toHaveLength(3);
    expect(at({ t: 'register-block', p: { dim: 'n', size: 8 } }).vectorized).toHaveLength(3);
    expect(at({ t: 'register-block', p: { dim: 'n', size: 2 } }).vectorized).toBeUndefined();
    expect(at({ t: 'register-block', p: { dim: 'n', size: 1 } }).vectorized).toBeUndefined();
    expect(at({ t: 'unroll', p: { dim: 'k', factor: 4 } }, { t: 'vectorize', p: { access: 0, dim: 'k' } }, { t: 'unroll', p: { dim: 'k', factor: 2 } }).vectorized)
      .toEqual([{ access: 1, dim: 'n' }, { access: 2, dim: 'n' }, { access: 'write', dim: 'n' }]);
  });
});

describe('workgroup tiles and staging', () => {
  const shapes: Record<string, number[]> = { a: [64, 64], b: [64, 64], bias: [64], y: [64, 64] };
  const program: Program = {
    buffers: new Map(Object.keys(shapes).map((name) => [name, { name, shape: shapes[name], dtype: 'float32', kind: 'intermediate' } as Buffer])),
    constants: new Map(), inputs: [], outputs: [], kernels: [{ id: 'k1', ops: ['mm'], maps: [matmul(64, 64, 64)] }],
  };
  const at = (...steps: { t: string; p: Record<string, unknown> }[]): MapSchedule =>
    resolveSchedule(program, { v: 1, steps: steps.map((s) => ({ ...s, at: 'k1' })) }).get('k1.m0')!;
  const tile = (dim: string, size: number | null) => ({ t: 'tile', p: { dim, size } });
  const stage = (read: number, k: number | null) => ({ t: 'stage', p: { read, k } });

  it('sets the workgroup size to the product of the tiles, and removes tiles and stages', () => {
    const s = at(tile('m', 4), tile('n', 8), stage(0, 8), stage(0, 16), stage(1, 16));
    expect(s.workgroupSize).toBe(32);
    expect(s.tiles).toEqual([{ dim: 'm', size: 4 }, { dim: 'n', size: 8 }]);
    expect(s.staged).toEqual([{ read: 0, k: 16 }, { read: 1, k: 16 }]);
    expect(at(tile('m', 4), tile('m', 1)).tiles).toBeUndefined();
    expect(at(tile('m', 4), stage(0, 8), stage(0, null)).staged).toBeUndefined();
  });

  it.each([
    [[tile('k', 4)], /tile dim 'k' is a reduce dim/],
    [[tile('q', 4)], /tile dim 'q' is not a dim of the map \(m, n, k\)/],
    [[stage(0, 8)], /staging in workgroup memory needs workgroup tiles/],
    [[tile('m', 4), stage(2, 8)], /read 2 is not read by the reduction body/],
    [[tile('m', 4), stage(5, 8)], /staged read 5 is not a read of the map \(it has 3\)/],
    [[tile('m', 4), stage(0, 8), stage(1, 4)], /staged reads must share one chunk of reduction steps, not 8 and 4/],
    [[tile('m', 4), stage(0, 300)], /stage chunk 300 is not an integer in \[1, 256\]/],
    [[tile('m', 16), tile('n', 16), stage(0, 256), stage(1, 256)], /the staged reads need 32768 bytes of workgroup memory; 16384 are guaranteed/],
    [[tile('m', 4), { t: 'workgroup-size', p: { size: 8 } }], /workgroup size 8 is not the product of the tile sizes \(4\)/],
    [[tile('m', 4), { t: 'reduction', p: { strategy: 'workgroup-tree' } }], /workgroup tiles need the serial reduction, not 'workgroup-tree'/],
    [[tile('m', 4), { t: 'unroll', p: { dim: 'k', factor: 4 } }], /workgroup tiles do not support unrolling yet/],
    [[tile('m', 32), tile('n', 16)], /workgroup size 512 is not an integer in \[1, 256\]/],
  ])('refuses %j', (steps, why) => {
    expect(() => at(...steps)).toThrow(FreightError);
    expect(() => at(...steps)).toThrow(why);
  });

  it('refuses a tile size below 2, an indirect read, and a read that indexes another', () => {
    expect(checkMapSchedule(matmul(8, 8, 8), { workgroupSize: 4, bind: 'flat', reduction: 'serial', tiles: [{ dim: 'm', size: 4 }, { dim: 'n', size: 1 }] }))
      .toMatch(/tile size 1 along 'n' is not an integer of at least 2/);
    const gathered: MapOp = {
      ...matmul(8, 8, 8),
      reads: [{ buffer: 'perm', index: [v('k')] }, { buffer: 'a', index: [v('m'), read(0)] }, { buffer: 'b', index: [v('k'), v('n')] }],
      body: bin('mul', read(1), read(2)),
      epilogue: undefined,
    };
    const s = (read: number): MapSchedule => ({ workgroupSize: 4, bind: 'flat', reduction: 'serial', tiles: [{ dim: 'm', size: 4 }], staged: [{ read, k: 4 }] });
    expect(checkMapSchedule(gathered, s(1))).toMatch(/read 1 has an indirect index/);
    expect(checkMapSchedule(gathered, s(0))).toMatch(/read 0 is an index of another read/);
    expect(checkMapSchedule(gathered, s(2))).toBeNull();
  });

  it('is the default for big GEMM-like maps on hardware only', () => {
    const hardware = { ...DEFAULT_TARGET, kind: 'hardware' as const };
    const s = defaultSchedule(matmul(256, 256, 256), hardware);
    expect(s.tiles).toEqual([{ dim: 'm', size: 8 }, { dim: 'n', size: 8 }]);
    expect(s.staged).toEqual([{ read: 0, k: 16 }, { read: 1, k: 16 }]);
    expect(checkMapSchedule(matmul(256, 256, 256), s, hardware)).toBeNull();
    // The convolution: the input is independent of oc, the weights of ow.
    expect(defaultSchedule(conv, hardware).tiles).toEqual([{ dim: 'oc', size: 8 }, { dim: 'ow', size: 8 }]);
    expect(defaultSchedule(matmul(256, 256, 256), DEFAULT_TARGET).tiles).toBeUndefined();
    expect(defaultSchedule(matmul(256, 256, 256), { ...DEFAULT_TARGET, kind: 'swiftshader' }).tiles).toBeUndefined();
    // Too small: fewer than 8 tiles along n, or a reduction shorter than two chunks.
    expect(defaultSchedule(matmul(256, 4, 256), hardware).tiles).toBeUndefined();
    expect(defaultSchedule(matmul(256, 256, 16), hardware).tiles).toBeUndefined();
  });
});
