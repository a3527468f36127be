// Global traffic at sector granularity, worked out by hand for small maps: coalesced, transposed
// and broadcast reads, register blocking, unrolling, a reordered domain, workgroup trees, gathers.

import { describe, expect, it } from 'vitest';
import { v } from '../ir/expr.js';
import type { Program } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { mapTraffic } from './map-traffic.js';
import { copy2d, gatherRows, gemm, rowSum, serial, subgroup, tree } from './test-programs.js';

const W = 32;
/** Bytes of every read, then of the write. */
const bytesOf = (p: Program, s: MapSchedule, simdWidth = W): number[] => mapTraffic(p, p.kernels[0].maps[0], s, simdWidth).accesses.map((a) => a.bytes);

describe('sectors touched by a SIMD group', () => {
  const n = 64;
  const elements = n * n;

  it('a coalesced read moves 4 bytes per f32 element; a transposed one 32', () => {
    expect(bytesOf(copy2d(n, [v('i'), v('j')]), serial(64))).toEqual([4 * elements, 4 * elements]);
    expect(bytesOf(copy2d(n, [v('j'), v('i')]), serial(64))).toEqual([32 * elements, 4 * elements]);
  });

  it('a read that does not depend on the innermost dim is a broadcast: one sector per group', () => {
    const p = copy2d(n, [v('i')], { name: 'x', shape: [n], kind: 'input', dtype: 'float32' });
    expect(bytesOf(p, serial(64))[0]).toBe((elements / W) * 32);
  });

  it('a reordered domain makes the transposed read coalesced and the write strided', () => {
    expect(bytesOf(copy2d(n, [v('j'), v('i')]), serial(64, { order: ['j', 'i'] }))).toEqual([4 * elements, 32 * elements]);
  });

  it('narrow SIMD groups (SwiftShader: 4 lanes of 16 bytes) still move whole sectors', () => {
    expect(bytesOf(copy2d(n, [v('i'), v('j')]), serial(64), 4)).toEqual([8 * elements, 8 * elements]);
  });
});

describe('register blocking and unrolling', () => {
  const [M, N, K] = [64, 64, 32];
  const groups = (M * N) / W;

  it('unblocked GEMM: A is a broadcast per step, B coalesced', () => {
    expect(bytesOf(gemm(M, N, K), serial(64))).toEqual([groups * K * 32, groups * K * 4 * 32, M * N * 4]);
  });

  it('blocking 4×4 loads each value once for a tile: a group of 32 tiles reads 8 rows of A and 64 columns of B per step', () => {
    const s = serial(64, { registerBlocks: [{ dim: 'm', size: 4 }, { dim: 'n', size: 4 }] });
    expect(bytesOf(gemm(M, N, K), s)).toEqual([(groups / 16) * K * 8 * 32, (groups / 16) * K * 8 * 32, M * N * 4]);
  });

  it('unrolling k by 4 reads A\'s four consecutive values in one sector; B is unchanged', () => {
    const s = serial(64, { unroll: [{ dim: 'k', factor: 4 }] });
    expect(bytesOf(gemm(M, N, K), s)).toEqual([groups * (K / 4) * 32, groups * K * 4 * 32, M * N * 4]);
  });
});

describe('workgroup trees, subgroup reductions and gathers', () => {
  it('a tree reads its row coalesced and writes one sector per output; partial sums go through workgroup memory', () => {
    const t = mapTraffic(rowSum(4, 1024), rowSum(4, 1024).kernels[0].maps[0], tree(128), W);
    expect(t.accesses.map((a) => a.bytes)).toEqual([4 * 1024 * 4, 4 * 32]);
    expect(t.shape).toMatchObject({ invocations: 4 * 128, workgroups: 4, steps: 8 });
    expect(t.workgroupBytes).toBe(4 * 4 * (128 + 3 * 127 + 1));
  });

  it('a subgroup reduction strides over its row like a tree, one workgroup per output, and needs no workgroup memory', () => {
    const t = mapTraffic(rowSum(4, 1024), rowSum(4, 1024).kernels[0].maps[0], subgroup(32), W);
    expect(t.accesses.map((a) => a.bytes)).toEqual([4 * 1024 * 4, 4 * 32]);
    expect(t.shape).toMatchObject({ perOutput: 'subgroup', invocations: 4 * 32, workgroups: 4, steps: 32 });
    expect(t.workgroupBytes).toBe(0);
  });

  it('a gather of whole rows is coalesced along the row; its index read is a broadcast', () => {
    expect(bytesOf(gatherRows(64, 64, 1000), serial(64))).toEqual([64 * 2 * 32, 64 * 64 * 4, 64 * 64 * 4]);
  });

  it('a gather of single elements scatters: most lanes of a group land in sectors of their own', () => {
    const [idx, table] = bytesOf(gatherRows(4096, 1, 100_000), serial(64));
    expect(idx).toBe(4096 * 4);
    expect(table).toBeGreaterThan(4096 * 24);
    expect(table).toBeLessThanOrEqual(4096 * 32);
  });
});
