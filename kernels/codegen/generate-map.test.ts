// Codegen as text, no GPU: bindings per storage buffer (vec4 ones too), guarded reads, the dispatch
// grid, both reduction strategies, and WGSL for the expression forms whose semantics differ from WGSL's.

import { describe, expect, it } from 'vitest';
import { acc, bin, c, cast, read, un, v } from '../../ir/expr.js';
import type { Buffer, MapOp } from '../../ir/program.js';
import type { DType } from '../../ir/tensor.js';
import { defaultSchedule } from '../default-schedule.js';
import type { MapSchedule } from '../schedule.js';
import { generateMap, MAX_WORKGROUPS_PER_DIM } from './generate-map.js';
import { emitExpr, floatLiteral, type ExprContext } from './wgsl-expr.js';

const buf = (name: string, shape: number[], dtype: DType = 'float32', aliasOf?: string): Buffer =>
  ({ name, shape, dtype, kind: 'intermediate', ...(aliasOf ? { aliasOf } : {}) });

function lookupOf(...bs: Buffer[]) {
  const all = new Map(bs.map((b) => [b.name, b]));
  const root = (n: string): Buffer => { let b = all.get(n)!; while (b.aliasOf) b = all.get(b.aliasOf)!; return b; };
  return { buffer: (n: string) => all.get(n)!, root };
}

const flat: MapSchedule = { workgroupSize: 64, bind: 'flat', reduction: 'serial' };

describe('generateMap', () => {
  it('binds each storage buffer once: the written one read_write, aliases through their root', () => {
    const m: MapOp = {
      dims: [{ name: 'i', extent: 6 }],
      reads: [{ buffer: 'xin', index: [v('i')] }, { buffer: 'xview', index: [bin('idiv', v('i'), c(3)), bin('mod', v('i'), c(3))] }],
      body: bin('add', read(0), read(1)),
      write: { buffer: 'yout', index: [v('i')] },
    };
    const g = generateMap(m, flat, lookupOf(buf('xin', [6]), buf('xview', [2, 3], 'float32', 'xin'), buf('yout', [6])));
    expect(g.bindings).toEqual([{ buffer: 'yout', access: 'read_write' }, { buffer: 'xin', access: 'read' }]);
    expect(g.code).toContain('var<storage, read_write> b0: array<f32>');
    expect(g.code).toContain('var<storage, read> b1: array<f32>');
    expect(g.code).toContain('b1[idiv_i(v0, 3) * 3 + mod_i(v0, 3)]');
    expect(g.code).toContain('if (flat >= 6u) { return; }');
    expect(g.workgroups).toEqual([1, 1]);
    expect(g.code).not.toMatch(/xin|xview|yout/); // no names: the text is the pipeline cache key
  });

  it('guards padded reads and stores ints and bools in their words', () => {
    const m: MapOp = {
      dims: [{ name: 'i', extent: 4 }],
      reads: [{ buffer: 'x', index: [bin('sub', v('i'), c(1))], pad: -Infinity }],
      body: bin('gt', read(0), c(0)),
      write: { buffer: 'y', index: [v('i')] },
    };
    const g = generateMap(m, flat, lookupOf(buf('x', [4]), buf('y', [4], 'bool')));
    // i - 1 for i in [0, 3] can fall below 0 but never reach 4: only the lower bound is tested.
    expect(g.code).toContain('let r0 = select((-f_inf()), b1[clamp(ir0_0, 0, 3)], (ir0_0 >= 0));');
    expect(g.code).toContain('b0[v0] = select(0u, 1u, (r0 > f32(0)));');
    expect(g.code).toContain('array<u32>');
  });

  it('drops the guard of a padded read whose index cannot leave the buffer', () => {
    const m: MapOp = {
      dims: [{ name: 'i', extent: 4 }],
      reads: [{ buffer: 'x', index: [bin('add', v('i'), c(1))], pad: 0 }],
      body: read(0),
      write: { buffer: 'y', index: [v('i')] },
    };
    expect(generateMap(m, flat, lookupOf(buf('x', [5]), buf('y', [4]))).code).toContain('let ir0_0 = (v0 + 1); let r0 = b1[ir0_0];');
    expect(generateMap(m, flat, lookupOf(buf('x', [4]), buf('y', [4]))).code).toContain('select(0.0f, b1[clamp(ir0_0, 0, 3)], (ir0_0 < 4))');
  });

  it('splits a grid wider than 65535 workgroups into two dimensions', () => {
    const n = 64 * MAX_WORKGROUPS_PER_DIM + 1;
    const m: MapOp = { dims: [{ name: 'i', extent: n }], reads: [], body: c(1), write: { buffer: 'y', index: [v('i')] } };
    const g = generateMap(m, flat, lookupOf(buf('y', [n])));
    expect(g.workgroups).toEqual([MAX_WORKGROUPS_PER_DIM, 2]);
    expect(g.code).toContain(`let flat = gid.x + gid.y * ${64 * MAX_WORKGROUPS_PER_DIM}u;`);
  });

  const matvec: MapOp = {
    dims: [{ name: 'i', extent: 4 }, { name: 'k', extent: 1000, reduce: true }],
    reads: [{ buffer: 'a', index: [v('i'), v('k')] }, { buffer: 'b', index: [v('i')] }],
    body: read(0),
    write: { buffer: 'y', index: [v('i')], wcr: 'max' },
    epilogue: bin('add', acc, read(1)),
  };
  const lookup = lookupOf(buf('a', [4, 1000]), buf('b', [4]), buf('y', [4]));

  it('reduces serially in registers, then applies the epilogue', () => {
    const g = generateMap(matvec, flat, lookup);
    expect(g.code).toContain('var acc: f32 = (-f_inf());');
    expect(g.code).toContain('for (var v1: i32 = 0; v1 < 1000; v1 = v1 + 1) {');
    expect(g.code).toContain('acc = max(acc, r0);');
    expect(g.code).toContain('b0[v0] = (acc + r1);');
  });

  it('reduces by a workgroup tree: one workgroup per output, the default for few long reductions', () => {
    const s = defaultSchedule(matvec);
    expect(s).toEqual({ workgroupSize: 128, bind: 'flat', reduction: 'workgroup-tree' });
    const g = generateMap(matvec, s, lookup);
    expect(g.workgroups).toEqual([4, 1]);
    expect(g.code).toContain('var<workgroup> sh: array<f32, 128>;');
    expect(g.code).toContain('for (var q: i32 = i32(lid); q < 1000; q = q + 128) {');
    expect(g.code).toContain('if (lid < 64u) { sh[lid] = max(sh[lid], sh[lid + 64u]); }');
    expect(g.code).toContain('b0[v0] = (total + r1);');
    expect(g.code.match(/workgroupBarrier/g)).toHaveLength(8);
  });
});

describe('vec4 bindings', () => {
  const gemm: MapOp = {
    dims: [{ name: 'm', extent: 4 }, { name: 'n', extent: 8 }, { name: 'k', extent: 12, reduce: true }],
    reads: [{ buffer: 'a', index: [v('m'), v('k')] }, { buffer: 'b', index: [v('k'), v('n')] }],
    body: bin('mul', read(0), read(1)),
    write: { buffer: 'y', index: [v('m'), v('n')], wcr: 'sum' },
  };
  const lookup = lookupOf(buf('a', [4, 12]), buf('b', [12, 8]), buf('y', [4, 8]));

  it('binds a buffer twice where it is read both four at a time and one at a time, the written one as vec4 only', () => {
    // k = 12 unrolled by 8: A is loaded as vec4 in the main loop, by element in the remainder.
    const s: MapSchedule = { ...flat, registerBlocks: [{ dim: 'n', size: 4 }], unroll: [{ dim: 'k', factor: 8 }],
      vectorized: [{ access: 0, dim: 'k' }, { access: 1, dim: 'n' }, { access: 'write', dim: 'n' }] };
    const g = generateMap(gemm, s, lookup);
    expect(g.bindings).toEqual([
      { buffer: 'y', access: 'read_write', vec4: true }, { buffer: 'a', access: 'read', vec4: true },
      { buffer: 'b', access: 'read', vec4: true }, { buffer: 'a', access: 'read' },
    ]);
    expect(g.code).toContain('var<storage, read> b1: array<vec4<f32>>;');
    expect(g.code).toContain('var<storage, read> b3: array<f32>;');
    expect(g.code).toContain('let r0_kv1 = b1[(v0 * 12 + (v2 + 4)) / 4];');
    expect(g.code).toContain('let r0_k0 = b3[v0 * 12 + 8];');
  });

  it('refuses a vec4 access the schedule check would refuse', () => {
    expect(() => generateMap(gemm, { ...flat, vectorized: [{ access: 0, dim: 'k' }] }, lookup))
      .toThrow(/codegen: vec4 of read 0 along 'k': the dim must be register-blocked by 4 or 8 or unrolled by 4 or 8/);
  });
});

describe('WGSL expressions', () => {
  const used = new Set<string>();
  const ctx: ExprContext = {
    variable: (name) => ({ code: `v_${name}`, t: 'i' }),
    read: (m) => ({ code: `r${m}`, t: m === 0 ? 'f' : 'i' }),
    use: (h) => used.add(h),
  };
  const wgsl = (e: Parameters<typeof emitExpr>[0]) => emitExpr(e, ctx);

  it('keeps integer arithmetic in i32 and promotes mixed operands to f32', () => {
    expect(wgsl(bin('add', v('a'), c(1)))).toEqual({ code: '(v_a + 1)', t: 'i' });
    expect(wgsl(bin('mul', v('a'), c(0.5)))).toEqual({ code: '(f32(v_a) * 0.5f)', t: 'f' });
    expect(wgsl(bin('div', read(1), c(2)))).toEqual({ code: '(f32(r1) / f32(2))', t: 'f' });
    expect(wgsl(bin('idiv', read(0), c(2))).code).toBe('idiv_f(r0, f32(2))');
  });

  it('spells the interpreter semantics WGSL lacks through helpers', () => {
    expect(wgsl(un('erf', read(0))).code).toBe('erf_f(r0)');
    expect(wgsl(un('round', read(0))).code).toBe('round(r0)'); // WGSL round is half to even
    expect(wgsl(un('round', read(1))).code).toBe('r1');
    expect(wgsl(cast('int64', read(0)))).toEqual({ code: 'to_i(r0)', t: 'i' });
    expect(wgsl(cast('bool', read(0)))).toEqual({ code: '(r0 != 0.0f)', t: 'b' });
    expect(wgsl(bin('pow', read(0), c(3))).code).toBe('pow_f(r0, f32(3))');
    expect([...used]).toEqual(expect.arrayContaining(['erf_f', 'to_i', 'pow_f', 'idiv_f']));
  });

  it('writes float literals that WGSL reads back as the same f32, and ±inf/NaN at run time', () => {
    const h = (): void => {};
    expect(floatLiteral(0.1, h)).toBe('0.10000000149011612f');
    expect(floatLiteral(-2, h)).toBe('(-2.0f)');
    expect(floatLiteral(1e-30, h)).toMatch(/e-30f$/);
    expect(floatLiteral(Infinity, h)).toBe('f_inf()');
    expect(floatLiteral(NaN, h)).toBe('f_nan()');
  });
});
