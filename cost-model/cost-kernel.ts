// The analytic cost of a kernel under its maps' schedules: a roofline per dispatch. Global traffic
// comes from map-traffic.ts; a tensor that fits in the last-level cache is fetched from memory once
// per dispatch and its re-reads come from the cache, faster. Time is the larger of memory time
// and arithmetic time, stretched where the dispatch cannot fill the device (too few invocations,
// a last partial wave of workgroups, idle SIMD lanes), plus the dispatch overhead.

import type { Kernel, MapOp, Program } from '../ir/program.js';
import { bytesLowerBound, mapFlops } from '../ir/stats.js';
import { sizeOf, bytesPerElement } from '../ir/tensor.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { resolveProfile, type CostProfile, type ResolvedProfile } from './cost-profile.js';
import { mapTraffic } from './map-traffic.js';

export type BoundBy = 'memory' | 'compute' | 'launch';

export interface MapCost {
  readonly flops: number;
  /** Global-memory bytes at sector granularity, from memory and cache together. */
  readonly bytesMoved: number;
  /** The part of bytesMoved fetched from memory; the rest hits the cache. */
  readonly dramBytes: number;
  readonly workgroupBytes: number;
  readonly invocations: number;
  readonly workgroups: number;
  /** Dispatches: 1, or 0 for a map without points. */
  readonly dispatches: number;
  readonly memoryMs: number;
  readonly computeMs: number;
  /** Fraction of the device the dispatch keeps busy (0, 1]. */
  readonly occupancy: number;
  readonly launchMs: number;
  readonly predictedMs: number;
  readonly boundBy: BoundBy;
}

export interface KernelCost extends Omit<MapCost, 'invocations' | 'workgroups' | 'occupancy'> {
  readonly id: string;
  readonly ops: readonly string[];
  /** Compulsory traffic: every buffer the kernel reads or writes, once (ir/stats.ts). */
  readonly bytesLowerBound: number;
  readonly maps: readonly MapCost[];
}

/** `schedules[i]` is the resolved schedule of `kernel.maps[i]`. */
export function costKernel(p: Program, kernel: Kernel, schedules: readonly MapSchedule[], profile: CostProfile): KernelCost {
  const device = resolveProfile(profile);
  const maps = kernel.maps.map((m, i) => costMap(p, m, schedules[i], device));
  const sum = (f: (c: MapCost) => number): number => maps.reduce((n, c) => n + f(c), 0);
  const busy = (bound: BoundBy): number => sum((c) => (c.boundBy === bound ? c.predictedMs - c.launchMs : 0));
  const launchMs = sum((c) => c.launchMs);
  const memoryMs = busy('memory');
  const computeMs = busy('compute');
  return {
    id: kernel.id,
    ops: kernel.ops,
    flops: sum((c) => c.flops),
    bytesMoved: sum((c) => c.bytesMoved),
    dramBytes: sum((c) => c.dramBytes),
    workgroupBytes: sum((c) => c.workgroupBytes),
    bytesLowerBound: bytesLowerBound({ ...p, kernels: [kernel] }),
    dispatches: sum((c) => c.dispatches),
    memoryMs: sum((c) => c.memoryMs),
    computeMs: sum((c) => c.computeMs),
    launchMs,
    predictedMs: sum((c) => c.predictedMs),
    boundBy: launchMs >= memoryMs + computeMs ? 'launch' : memoryMs >= computeMs ? 'memory' : 'compute',
    maps,
  };
}

export function costMap(p: Program, m: MapOp, s: MapSchedule, device: ResolvedProfile): MapCost {
  const traffic = mapTraffic(p, m, s, device.simdWidth);
  const { invocations, workgroups, workgroupSize } = traffic.shape;
  const perBuffer = new Map<string, number>();
  for (const a of traffic.accesses) perBuffer.set(a.buffer, (perBuffer.get(a.buffer) ?? 0) + a.bytes);
  let bytesMoved = 0;
  let dramBytes = 0;
  for (const [name, bytes] of perBuffer) {
    const b = p.buffers.get(name)!;
    const size = sizeOf(b.shape) * bytesPerElement(b.dtype);
    bytesMoved += bytes;
    dramBytes += size <= device.l2Bytes ? Math.min(bytes, size) : bytes;
  }
  const flops = mapFlops(m);
  const msAt = (amount: number, perSecond: number): number => amount / (perSecond * 1e6);
  const memoryMs = msAt(dramBytes, device.copyGBps) + msAt(bytesMoved - dramBytes, device.cacheGBps)
    + msAt(traffic.workgroupBytes, device.workgroupMemoryGBps);
  const computeMs = msAt(flops, device.fmaGflops);
  if (invocations === 0) {
    return { flops, bytesMoved, dramBytes, workgroupBytes: 0, invocations, workgroups, dispatches: 0, memoryMs, computeMs, occupancy: 1, launchMs: 0, predictedMs: 0, boundBy: 'launch' };
  }
  // SIMD groups run whole: lanes past the last invocation of a workgroup idle but take their time.
  const lanes = Math.min(device.simdWidth, workgroupSize);
  const groups = workgroups * Math.ceil(workgroupSize / lanes);
  const laneUse = Math.min(1, invocations / (groups * device.simdWidth));
  const waves = Math.ceil(workgroups / device.workgroupsAtOnce);
  const occupancy = Math.min(1, (groups * device.simdWidth) / device.concurrency, workgroups / (waves * device.workgroupsAtOnce));
  const memoryBusy = memoryMs / occupancy;
  const computeBusy = computeMs / laneUse / occupancy;
  const launchMs = device.dispatchUs / 1000;
  const busy = Math.max(memoryBusy, computeBusy);
  return {
    flops, bytesMoved, dramBytes, workgroupBytes: traffic.workgroupBytes, invocations, workgroups, dispatches: 1,
    memoryMs, computeMs, occupancy, launchMs,
    predictedMs: busy + launchMs,
    boundBy: launchMs >= busy ? 'launch' : memoryBusy >= computeBusy ? 'memory' : 'compute',
  };
}
