// Tuned schedules from the tuning database for a model's kernels on one device. A record belongs to
// a workload (the canonical kernel: every layer with the same computation shares it), so its
// schedule names sites relative to the kernel (kernels/kernel-sites.ts); here they are bound to the
// kernel ids of this program. A record whose schedule no longer resolves
// (e.g. written by another freight) is a miss with a warning, never an error.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { workloadKey } from '../ir/canonical.js';
import type { Program } from '../ir/program.js';
import type { GpuAdapter, GpuDevice } from '../kernels/gpu/device.js';
import { compilePlan, planProgram, type Plan } from '../kernels/plan/compile-plan.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { RECORD_FORMAT } from '../kernels/record-format.js';
import { EMPTY_SCHEDULE, resolveSchedule, type Schedule, type ScheduleStep, type ScheduleTarget } from '../kernels/schedule.js';

export { bindSteps, relativeSteps, KERNEL_SITE } from '../kernels/kernel-sites.js';
import { targetOf, type TargetSource } from '../kernels/target.js';
import { openTuningDb, type Device, type RunStats, type TuningDb } from '../tuning-db/index.js';
import { WIN_RATIO } from '../search/compare-with-default.js';

export interface TunedKernel {
  readonly id: string;
  readonly ops: readonly string[];
  readonly workload: string;
  /** The record's median, when the database had one. */
  readonly tunedMs?: number;
}

export interface TunedSchedules {
  /** Every hit's steps, bound to this program's kernel ids. */
  readonly schedule: Schedule;
  readonly hits: readonly TunedKernel[];
  readonly misses: readonly TunedKernel[];
}

/**
 * The confirmed winner of each kernel of `program` (fused, as the plan runs it) on `fingerprint`:
 * the record that beat the workload's default by the smallest ratio when the two were timed
 * alternately (search/compare-with-default.ts). A record that was only ever timed alone may have
 * been lucky, and one that did not beat the default by WIN_RATIO is within the noise: the default
 * schedule stays, so a tuned plan is never slower by choice. A workload tuned without a win is a
 * hit on its default schedule.
 */
export async function tunedSchedules(program: Program, db: TuningDb, fingerprint: string, target: ScheduleTarget, warn: (message: string) => void = () => {}): Promise<TunedSchedules> {
  const steps: ScheduleStep[] = [];
  const hits: TunedKernel[] = [];
  const misses: TunedKernel[] = [];
  for (const k of program.kernels) {
    const workload = workloadKey(program, k);
    const record = await db.bestCompared(workload, fingerprint, RECORD_FORMAT, WIN_RATIO)
      ?? (await db.records(workload, fingerprint)).find((r) => r.format === RECORD_FORMAT && !r.failure && ((r.schedule as Schedule)?.steps ?? []).length === 0);
    const entry = { id: k.id, ops: k.ops, workload };
    if (!record) {
      misses.push(entry);
      continue;
    }
    const stored = record.schedule as Schedule;
    const bound = bindSteps(Array.isArray(stored?.steps) ? stored.steps : [], k.id);
    try {
      // Resolved against this kernel alone: a bad record costs only its own kernel.
      resolveSchedule({ ...program, kernels: [k] }, { v: 1, steps: bound }, target);
    } catch (e) {
      warn(`tuning record ${record.id} for kernel ${k.id} (${k.ops.join(', ')}) is not usable here, using the default schedule: ${(e as Error).message}`);
      misses.push(entry);
      continue;
    }
    steps.push(...bound);
    hits.push({ ...entry, ...(record.stats ? { tunedMs: record.stats.medianMs } : {}) });
  }
  return { schedule: { v: 1, steps }, hits, misses };
}

export interface ModelPlan {
  readonly plan: Plan;
  /** The fused program the plan runs (its kernels are the database's workloads). */
  readonly program: Program;
  /** Present when a database was given. */
  readonly tuned?: TunedSchedules;
}

/**
 * The whole-model plan of a lowered program on `gpu`: the default fusion plan, then the tuned
 * schedule of every kernel the database at `db` has (default schedules for the rest).
 */
export async function planModel(lowered: Program, gpu: GpuDevice, options: { db?: string; warn?: (message: string) => void; fusion?: boolean } = {}): Promise<ModelPlan> {
  const program = options.fusion === false ? lowered : planProgram(lowered, gpu.limits);
  if (!options.db) return { plan: await compilePlan(program, gpu, undefined, { fusion: false }), program };
  const tuned = await tunedFromDb(program, gpu, options.db, options.warn);
  return { plan: await compilePlan(program, gpu, tuned.schedule, { fusion: false }), program, tuned };
}

/**
 * The tuned schedules of `program` (fused, as the plan runs it) from the database at `dbPath` for
 * adapter `gpu`. A database file that does not exist gives default schedules and a warning; it is
 * not created.
 */
export async function tunedFromDb(program: Program, gpu: TargetSource & Pick<GpuAdapter, 'fingerprint'>, dbPath: string, warn?: (message: string) => void): Promise<TunedSchedules> {
  if (!existsSync(dbPath)) {
    warn?.(`there is no tuning database at ${dbPath}; running the default schedules`);
    return { schedule: EMPTY_SCHEDULE, hits: [], misses: program.kernels.map((k) => ({ id: k.id, ops: k.ops, workload: workloadKey(program, k) })) };
  }
  const db = await openTuningDb(dbPath, { create: false });
  try {
    return await tunedSchedules(program, db, gpu.fingerprint, targetOf(gpu), warn);
  } finally {
    await db.close();
  }
}

/** A model with its bound shapes: the same file and shapes give the same key. */
export function modelKey(path: string, shapes: Readonly<Record<string, readonly number[]>>): string {
  const hash = createHash('sha256').update(readFileSync(path));
  for (const name of Object.keys(shapes).sort()) hash.update(`\0${name}=${shapes[name].join(',')}`);
  return hash.digest('hex');
}

/** The device as the database keeps it. */
export function dbDevice(gpu: GpuDevice): Device {
  return { fingerprint: gpu.fingerprint, name: gpu.name, description: { ...gpu.info, kind: gpu.kind } };
}

/** Keeps a bench's medians in the database at `dbPath` (created when missing) for the leaderboard. */
export async function recordBench(dbPath: string, path: string, shapes: Readonly<Record<string, readonly number[]>>, gpu: GpuDevice, systems: readonly ({ name: string } & RunStats)[]): Promise<void> {
  const db = await openTuningDb(dbPath);
  try {
    const model = modelKey(path, shapes);
    await db.write(async (w) => {
      await w.upsertDevice(dbDevice(gpu));
      await w.upsertModel({ key: model, name: basename(path) });
      await w.addBench({ model, device: gpu.fingerprint, systems: systems.map((x) => ({ system: x.name, medianMs: x.medianMs, minMs: x.minMs, maxMs: x.maxMs, runs: x.runs })) });
    });
  } finally {
    await db.close();
  }
}
