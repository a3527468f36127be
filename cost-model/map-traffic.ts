// Global-memory traffic of one map under its schedule, at transaction granularity. The invocations
// of one SIMD group issue each access together; the group moves every distinct 32-byte sector its
// lanes touch. So a coalesced read of f32 costs 4 bytes an element, a strided or transposed one up
// to 32, and a read that does not depend on the dims telling the lanes apart (a broadcast) one
// sector for the whole group. What one invocation covers at once (register-block lanes, unrolled
// copies: `span` of the execution shape) is loaded in one go, so a read that depends on none of
// those dims is loaded once for all of them, which is what register blocking saves.
//
// Sectors are counted for a few SIMD groups and loop steps spread over the domain and scaled up:
// the counts vary with alignment and borders, not much else.

import { varsOf } from '../ir/expr.js';
import { readOrder, storageOf, type MapOp, type Program } from '../ir/program.js';
import { bytesPerElement } from '../ir/tensor.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { delinearize, executionShape, type ExecutionShape } from './execution-shape.js';
import { dimsOfRead, memletAddresses, type Address } from './memlet-address.js';

export const SECTOR_BYTES = 32;
const SAMPLED_GROUPS = 3;
const SAMPLED_STEPS = 8;
/** f32 partial results of a workgroup tree. */
const TREE_ELEMENT_BYTES = 4;

export interface AccessTraffic {
  /** The storage buffer (alias root) accessed. */
  readonly buffer: string;
  /** Bytes moved in whole sectors. */
  readonly bytes: number;
}

export interface MapTraffic {
  readonly shape: ExecutionShape;
  /** Every read (index i), then the write. */
  readonly accesses: readonly AccessTraffic[];
  /** Bytes a workgroup tree stores to and loads from workgroup memory (a subgroup reduction: none). */
  readonly workgroupBytes: number;
}

/** When an access happens: once per loop step, or once per output after the loop. */
type Phase = 'step' | 'output';

export function mapTraffic(p: Program, m: MapOp, s: MapSchedule, simdWidth: number): MapTraffic {
  const shape = executionShape(m, s);
  const addresses = memletAddresses(p, m);
  const reduction = m.write.wcr !== undefined;
  const inBody = new Set(readOrder(m, [m.body]));
  const inEpilogue = new Set(readOrder(m, m.epilogue ? [m.epilogue] : []));
  const writeDims = new Set<string>();
  for (const e of m.write.index) varsOf(e, writeDims);
  const access = (memlet: { buffer: string }, i: number, dims: ReadonlySet<string>, phases: readonly Phase[]): AccessTraffic => {
    const root = storageOf(p, memlet.buffer);
    const spread = m.dims.map((_, k) => k).filter((k) => shape.span[k] > 1 && dims.has(m.dims[k].name));
    const sampler = { m, shape, address: addresses[i], elementBytes: bytesPerElement(root.dtype), simdWidth };
    const bytes = phases.reduce((n, phase) => n + phaseBytes(sampler, phase, spread), 0);
    return { buffer: root.name, bytes };
  };
  const accesses = m.reads.map((r, i) => {
    const phases: Phase[] = [];
    // A map without a reduction reads its body once per output, like an epilogue.
    if (inBody.has(i)) phases.push(reduction ? 'step' : 'output');
    if (inEpilogue.has(i)) phases.push('output');
    return access(r, i, dimsOfRead(m, i), phases);
  });
  accesses.push(access(m.write, m.reads.length, writeDims, ['output']));
  const wg = shape.workgroupSize;
  // A tree stores every partial result, then each level loads two and stores one.
  const workgroupBytes = shape.perOutput === 'workgroup-tree' ? shape.workgroups * TREE_ELEMENT_BYTES * (wg + 3 * (wg - 1) + 1) : 0;
  return { shape, accesses, workgroupBytes };
}

interface Sampler {
  readonly m: MapOp;
  readonly shape: ExecutionShape;
  readonly address: Address;
  readonly elementBytes: number;
  readonly simdWidth: number;
}

/** Bytes one access moves in one phase over the whole dispatch. */
function phaseBytes(a: Sampler, phase: Phase, spread: readonly number[]): number {
  const { m, shape } = a;
  if (shape.invocations === 0) return 0;
  const lanes = Math.min(a.simdWidth, shape.workgroupSize);
  const perStep = phase === 'step';
  const steps = perStep ? shape.steps : 1;
  const x = new Int32Array(m.dims.length);
  const lane = new Int32Array(m.dims.length);
  const sectors = new Set<number>();
  let sampled = 0;
  let total = 0;
  if (!shape.perOutput) {
    // Neighbouring invocations form a SIMD group; all of them take every loop step.
    const groups = Math.ceil(shape.invocations / lanes);
    for (const g of spreadOver(groups, SAMPLED_GROUPS)) {
      for (const t of spreadOver(steps, perStep ? SAMPLED_STEPS : 1)) {
        delinearize(shape, shape.reduce, t, x);
        sectors.clear();
        for (let flat = g * lanes; flat < Math.min((g + 1) * lanes, shape.invocations); flat++) {
          lane.set(x);
          delinearize(shape, shape.parallel, flat, lane);
          touch(a, lane, spread, 0, sectors);
        }
        total += sectors.size;
        sampled++;
      }
    }
    return (groups * steps * total * SECTOR_BYTES) / sampled;
  }
  // A tree or a subgroup reduction: one workgroup per output; its invocations stride over the
  // reduce points together, and one invocation reads what the epilogue needs and writes.
  const points = shape.reduce.reduce((n, i) => n * m.dims[i].extent, 1);
  const groupsPerWorkgroup = perStep ? Math.ceil(shape.workgroupSize / lanes) : 1;
  const active = perStep ? lanes : 1;
  for (const w of spreadOver(shape.workgroups, SAMPLED_GROUPS)) {
    delinearize(shape, shape.parallel, w, x);
    for (const g of spreadOver(groupsPerWorkgroup, 2)) {
      for (const t of spreadOver(steps, perStep ? SAMPLED_STEPS : 1)) {
        sectors.clear();
        const first = t * shape.workgroupSize + g * lanes;
        for (let q = first; q < Math.min(first + active, points); q++) {
          lane.set(x);
          delinearize(shape, shape.reduce, q, lane);
          touch(a, lane, spread, 0, sectors);
        }
        total += sectors.size;
        sampled++;
      }
    }
  }
  return (shape.workgroups * groupsPerWorkgroup * steps * total * SECTOR_BYTES) / sampled;
}

/** Adds the sectors of every value the spread dims take from `x` on (clamped as blocked reads are). */
function touch(a: Sampler, x: Int32Array, spread: readonly number[], k: number, sectors: Set<number>): void {
  if (k === spread.length) {
    sectors.add(Math.floor((a.address(x) * a.elementBytes) / SECTOR_BYTES));
    return;
  }
  const i = spread[k];
  const base = x[i];
  const last = a.m.dims[i].extent - 1;
  for (let o = 0; o < a.shape.span[i]; o++) {
    x[i] = Math.min(base + o, last);
    touch(a, x, spread, k + 1, sectors);
  }
  x[i] = base;
}

/** Up to `n` positions spread evenly over [0, count), the first included. */
function spreadOver(count: number, n: number): number[] {
  const k = Math.min(count, n);
  return [...new Set(Array.from({ length: k }, (_, i) => Math.floor((i * count) / k)))];
}
