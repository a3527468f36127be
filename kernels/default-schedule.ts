// The device-aware default schedule of a map (what runs before any tuning) and the register
// blocking it picks: heuristics over the map's memlets and what kernels/target.ts says of the device.

import { readsOf, type Expr } from '../ir/expr.js';
import type { MapOp } from '../ir/program.js';
import type { BufferLookup } from './codegen/generate-map.js';
import { checkIndexRange } from './codegen/index-range.js';
import { suggestStaging } from './codegen/tiled-reduction.js';
import { suggestVec4 } from './codegen/vec4.js';
import { DEFAULT_TARGET, parallelExtent, readsDependingOn, reduceExtent, type MapSchedule, type RegisterBlock, type ScheduleTarget } from './schedule.js';

/**
 * The heuristic default. A long reduction with too few outputs to occupy the device runs one
 * workgroup per output: a single subgroup combining with a subgroup operation where the device has
 * them (on SwiftShader as fast as a tree of 128 for one output of 2^18 steps, 2-4× faster for
 * shorter ones), else a workgroup tree. Otherwise each invocation reduces serially, register
 * blocked where the map reuses loads (GEMM, convolution), in workgroups of up to 64, with vec4
 * loads and stores along blocked dims where `buffers` prove them aligned. Where lanes are few
 * (SwiftShader: a SIMD group per core, and every barrier a thread switch) trees almost never pay.
 * On hardware, a big enough GEMM-like map is tiled 8×8 per workgroup with both operands staged in
 * workgroup memory (codegen/tiled-reduction.ts suggestStaging); on SwiftShader staging is slower,
 * and a nominal target without a kind keeps the serial form.
 */
export function defaultSchedule(m: MapOp, target: ScheduleTarget = DEFAULT_TARGET, buffers?: BufferLookup): MapSchedule {
  const hasReduce = m.dims.some((d) => d.reduce);
  const r = reduceExtent(m);
  const outputs = parallelExtent(m);
  if (hasReduce && r >= 256 && outputs * 4 <= target.concurrency) {
    const perGroup: MapSchedule = target.subgroups
      ? { workgroupSize: target.subgroupSize, bind: 'flat', reduction: 'subgroup' }
      : { workgroupSize: Math.min(128, target.maxInvocations, nextPow2(r) / 2), bind: 'flat', reduction: 'workgroup-tree' };
    // Past 2^31 steps its flattened loop counter would overflow: the nested serial loops do not.
    if (!checkIndexRange(m, perGroup)) return perGroup;
  }
  const blocks = suggestRegisterBlocks(m, target);
  // Workgroups of 64, halved (down to the SIMD width) while too few to keep every core busy.
  const invocations = blocks.reduce((n, b) => n / b.size, outputs);
  let workgroupSize = Math.min(64, target.maxInvocations);
  while (workgroupSize / 2 >= target.simdWidth && invocations / workgroupSize < target.workgroupsAtOnce) workgroupSize /= 2;
  const s: MapSchedule = { workgroupSize, bind: 'flat', reduction: 'serial', ...(blocks.length ? { registerBlocks: blocks } : {}) };
  if (target.kind === 'hardware') {
    const staged = suggestStaging(m, s, target);
    if (staged) return staged;
  }
  const vectorized = buffers ? suggestVec4(m, s, buffers) : [];
  return vectorized.length ? { ...s, vectorized } : s;
}

/**
 * Register blocking pays where reads of the reduction body do not depend on some parallel dims:
 * blocking along those loads each such read once for several outputs. Among single dims and pairs
 * of dims blocked by 4 (extent at least 4), the choice with the fewest loads per accumulator wins
 * (a guarded read counts double: it also saves its bounds test); ties go to fewer accumulators,
 * then to later dims (innermost in memory, so a tile's lanes read neighbouring addresses). A block
 * that would leave fewer invocations than the device runs at once is dropped, and short reductions
 * are left alone: there is little to reuse.
 */
export function suggestRegisterBlocks(m: MapOp, target: ScheduleTarget = DEFAULT_TARGET): RegisterBlock[] {
  if (!m.write.wcr || reduceExtent(m) < 8) return [];
  const inBody = [...bodyReads(m, m.body)];
  const candidates = m.dims.filter((d) => !d.reduce && d.extent >= 4).map((d) => d.name);
  const dependent = new Map(candidates.map((d) => [d, readsDependingOn(m, d)]));
  const loadsPerAccumulator = (dims: readonly string[]): number => {
    const loads = inBody.reduce((n, r) => n + (m.reads[r].pad === undefined ? 1 : 2) * 4 ** dims.filter((d) => dependent.get(d)!.has(r)).length, 0);
    return loads / 4 ** dims.length;
  };
  const options: string[][] = [[], ...candidates.map((d) => [d]), ...candidates.flatMap((a, i) => candidates.slice(i + 1).map((b) => [a, b]))];
  let best: string[] = [];
  let bestCost = loadsPerAccumulator([]);
  for (const dims of options) {
    if (parallelExtent(m) / 4 ** dims.length < target.concurrency / 4 && dims.length > 0) continue;
    const cost = loadsPerAccumulator(dims);
    const tie = Math.abs(cost - bestCost) < 1e-9 && dims.length === best.length;
    if (cost < bestCost - 1e-9 || tie) {
      best = dims;
      bestCost = cost;
    }
  }
  return best.map((dim) => ({ dim, size: 4 }));
}

/** The reads `e` uses, with the reads their indices use. */
function bodyReads(m: MapOp, e: Expr): Set<number> {
  const out = new Set<number>();
  const visit = (r: number): void => {
    if (out.has(r)) return;
    out.add(r);
    for (const x of m.reads[r].index) for (const dep of readsOf(x)) visit(dep);
  };
  for (const r of readsOf(e)) visit(r);
  return out;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
