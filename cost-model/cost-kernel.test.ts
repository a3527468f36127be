// Rank checks: on kernels whose order is known, the predictions must order them so. The same GEMM
// with coalesced and transposed reads, register-blocked or not; a long reduction with few outputs
// as a serial loop and as a workgroup tree; a launch-bound tiny kernel; a compute-bound one; a
// re-read tensor that fits the cache and one that does not.

import { describe, expect, it } from 'vitest';
import { v } from '../ir/expr.js';
import type { Program } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { costKernel, type KernelCost } from './cost-kernel.js';
import { NOMINAL_PROFILE, type CostProfile } from './cost-profile.js';
import { arithmetic, copy2d, gemm, rowSum, serial, subgroup, tree } from './test-programs.js';

const cost = (p: Program, s: MapSchedule, profile: CostProfile = NOMINAL_PROFILE): KernelCost =>
  costKernel(p, p.kernels[0], p.kernels[0].maps.map(() => s), profile);

describe('predictions order kernels of known order', () => {
  const n = 1024;
  const plain = cost(gemm(n, n, n), serial(64));
  const transposed = cost(gemm(n, n, n, true), serial(64));
  const blocked = cost(gemm(n, n, n), serial(64, { registerBlocks: [{ dim: 'm', size: 4 }, { dim: 'n', size: 4 }] }));

  it('a GEMM reading B transposed (uncoalesced) is slower than reading it coalesced', () => {
    expect(transposed.bytesMoved).toBeGreaterThan(4 * plain.bytesMoved);
    expect(transposed.predictedMs).toBeGreaterThan(plain.predictedMs);
  });

  it('register blocking 4×4 moves fewer bytes and is faster; the FLOPs are the same', () => {
    expect(blocked.flops).toBe(plain.flops);
    expect(blocked.bytesMoved).toBeLessThan(plain.bytesMoved / 3);
    expect(blocked.predictedMs).toBeLessThan(plain.predictedMs);
    expect([transposed, plain, blocked].map((c) => c.boundBy)).toEqual(['memory', 'memory', 'memory']);
  });

  it('a tiny kernel is launch-bound and the cheapest', () => {
    const tiny = cost(copy2d(2, [v('i'), v('j')]), serial(64));
    expect(tiny.boundBy).toBe('launch');
    expect(tiny.predictedMs).toBeLessThan(1.05 * tiny.launchMs);
    expect(tiny.predictedMs).toBeLessThan(blocked.predictedMs);
  });

  it('a long arithmetic chain per element is compute-bound', () => {
    const c = cost(arithmetic(1 << 20, 256), serial(64));
    expect(c.boundBy).toBe('compute');
    expect(c.flops).toBe((1 << 20) * 512);
  });

  it('a long reduction with four outputs is faster as a workgroup tree than as four serial loops', () => {
    const p = rowSum(4, 1 << 16);
    const loops = cost(p, serial(64));
    const trees = cost(p, tree(128));
    expect(trees.workgroupBytes).toBeGreaterThan(0);
    expect(trees.predictedMs).toBeLessThan(loops.predictedMs / 10);
  });

  it('a subgroup reduction is costed as one per-output workgroup, not as serial loops, and skips the tree\'s workgroup memory', () => {
    const p = rowSum(4, 1 << 16);
    const loops = cost(p, serial(32));
    const trees = cost(p, tree(32));
    const subgroups = cost(p, subgroup(32));
    expect(subgroups.workgroupBytes).toBe(0);
    expect(subgroups.bytesMoved).toBe(trees.bytesMoved);
    expect(subgroups.predictedMs).toBeLessThan(loops.predictedMs / 10);
    expect(subgroups.predictedMs).toBeLessThan(trees.predictedMs);
  });

  it('a transposed read of a tensor larger than the cache costs more per element than of one that fits', () => {
    const perElement = (size: number): number => {
      const c = cost(copy2d(size, [v('j'), v('i')]), serial(64));
      return (c.predictedMs - c.launchMs) / size ** 2;
    };
    expect(NOMINAL_PROFILE.l2Bytes).toBe(4 * 1024 ** 2);
    expect(perElement(2048)).toBeGreaterThan(2 * perElement(1024));
  });
});

describe('kernel totals', () => {
  it('sums its maps, dispatch by dispatch, and bounds its bytes below by every buffer once', () => {
    const p = gemm(64, 64, 32);
    const one = cost(p, serial(64));
    const m = p.kernels[0].maps[0];
    const twice = costKernel(p, { ...p.kernels[0], maps: [m, m] }, [serial(64), serial(64)], NOMINAL_PROFILE);
    expect(twice.dispatches).toBe(2);
    expect(twice.predictedMs).toBeCloseTo(2 * one.predictedMs, 9);
    expect(twice.flops).toBe(2 * one.flops);
    expect(one.bytesLowerBound).toBe(4 * (64 * 32 + 32 * 64 + 64 * 64));
    expect(one.bytesMoved).toBeGreaterThan(one.bytesLowerBound);
    expect(one.maps).toHaveLength(1);
  });

  it('uses what the profile says of the device: SwiftShader\'s four-lane SIMD groups move more bytes per element', () => {
    const p = copy2d(256, [v('i'), v('j')]);
    const swiftshader = { ...NOMINAL_PROFILE, simdWidth: 4, concurrency: 8, workgroupsAtOnce: 2 };
    expect(cost(p, serial(64), swiftshader).bytesMoved).toBe(2 * cost(p, serial(64)).bytesMoved);
  });
});
