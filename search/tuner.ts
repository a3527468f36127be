// The tuning loop, on the main thread (it owns the Dawn device and the database). Each round picks
// the task whose improvement would save the most model time (instances × best time, discounted by
// the trials it already had), takes the strategy's proposals ranked by the cost model (made by the
// proposal pool's workers, ahead for the other tasks while this one measures), measures the best
// few plus one for exploration, and commits the records together with the run's
// state (trials, RNG state) in one transaction: a killed process loses at most the round in flight,
// and the same command resumes. Observations come back from the database, so a resumed run, or a
// run with another strategy, starts from everything measured before on this device; the cost
// model that ranks proposals is calibrated on those records too (cost-model/calibrate.ts).
//
// A candidate that measured faster than the default alone is timed again interleaved with the
// default (compare-with-default.ts), and the record keeps that comparison: only a confirmed win
// ever replaces the default (src/tuned.ts), and the strategy sees the confirmed time.

import seedrandom from 'seedrandom';
import { calibrate, type CalibrationSample, type CostProfile } from '../cost-model/index.js';
import type { GpuDevice } from '../kernels/gpu/device.js';
import type { IsolatedMeasurer } from '../kernels/measure/isolated-measurer.js';
import { RECORD_FORMAT } from '../kernels/record-format.js';
import type { Schedule, ScheduleTarget } from '../kernels/schedule.js';
import type { Comparison, NewRecord, RunStats, TuningDb, TuningRecord, TuningRunKey } from '../tuning-db/index.js';
import { defaultComparer, WIN_RATIO } from './compare-with-default.js';
import { measureCandidate, measureCandidateIsolated, type Measured } from './measure-candidate.js';
import { workloadSamples } from './calibration.js';
import { openProposalPool, type ProposalPool } from './proposal-pool.js';
import type { Calibration, Proposal } from './proposer.js';
import type { Observation, Steps, StrategyName } from './strategy.js';
import type { TuningTask } from './task.js';

export interface TuneOptions {
  readonly strategy: StrategyName;
  readonly seed: number;
  /** Stop after this many trials in total (over every session of the run). */
  readonly trials: number;
  /** Stop after this much tuning time in this session. */
  readonly timeMs?: number;
  /** Candidates measured per round. Default 4. */
  readonly batch?: number;
  /** Worker threads that propose and score candidates; 0 (the default): the main thread does. */
  readonly workers?: number;
  /** Asked between rounds (SIGINT / SIGTERM): the round in flight finishes and is saved. */
  readonly shouldStop?: () => boolean;
  /** After each round. */
  readonly onRound?: (state: TuneProgress) => void;
}

export interface TaskProgress {
  readonly task: TuningTask;
  readonly trials: number;
  /** The default schedule's median, and the best confirmed schedule's (the default's without one). */
  readonly defaultMs: number | null;
  readonly bestMs: number | null;
}

export interface TuneProgress {
  readonly trials: number;
  readonly target: number;
  readonly tasks: readonly TaskProgress[];
  readonly resumedFrom: number;
  readonly status: 'running' | 'interrupted' | 'finished';
}

export interface TuneContext {
  readonly tasks: readonly TuningTask[];
  readonly gpu: GpuDevice;
  readonly target: ScheduleTarget;
  readonly profile: CostProfile;
  readonly db: TuningDb;
  readonly model: string;
  /** Measures single-map candidates in a killable child process; without it, all in-process. */
  readonly measurer?: IsolatedMeasurer;
  /** Per candidate. Default 10 s. */
  readonly limitMs?: number;
}

/**
 * Candidates whose fastest run alone came within this factor of the default's are compared with it
 * (the fastest: a loaded machine only ever adds time).
 */
export const COMPARE_WITHIN = 1.1;

/** Proposals asked of the strategy per round; the cost model keeps the best `batch - 1`. */
const PROPOSALS = 16;

export async function tune(ctx: TuneContext, options: TuneOptions): Promise<TuneProgress> {
  // Everything measured before on this device, read once: it calibrates the cost model and seeds the strategies.
  const records = new Map<string, TuningRecord[]>();
  for (const t of ctx.tasks) records.set(t.key, (await ctx.db.records(t.key, ctx.gpu.fingerprint)).filter((r) => r.format === RECORD_FORMAT));
  const pool = openProposalPool(ctx.tasks, ctx.target, ctx.profile, options.workers ?? 0, calibration(ctx, records));
  try {
    return await tuneWith(ctx, options, pool, records);
  } finally {
    await pool.close();
  }
}

/** Valid records needed before the cost model that ranks proposals is calibrated on them. */
const CALIBRATE_FROM = 16;

/**
 * The cost model's residual fitted on this device's records of the tasks, as the run starts (so the
 * same database gives the same proposals); none while there are too few records.
 */
function calibration(ctx: TuneContext, records: ReadonlyMap<string, readonly TuningRecord[]>): Calibration | undefined {
  const samples: CalibrationSample[] = ctx.tasks.flatMap((t) => workloadSamples(t.program, t.kernel, t.key, records.get(t.key)!, ctx.target));
  if (samples.length < CALIBRATE_FROM) return undefined;
  const { fit, samples: n, workloads } = calibrate(samples, ctx.profile);
  return { fit, samples: n, workloads };
}

async function tuneWith(ctx: TuneContext, options: TuneOptions, pool: ProposalPool, records: ReadonlyMap<string, readonly TuningRecord[]>): Promise<TuneProgress> {
  const { gpu, db } = ctx;
  const key: TuningRunKey = { model: ctx.model, device: gpu.fingerprint, strategy: options.strategy, seed: options.seed };
  const stored = await db.loadTuningRun(key);
  const saved = (stored?.state as { rng?: seedrandom.State.Arc4 } | undefined)?.rng;
  const rng = saved ? seedrandom('', { state: saved }) : seedrandom(`freight-tune:${options.seed}`, { state: true });
  const batch = options.batch ?? 4;
  let trials = stored?.trials ?? 0;
  const resumedFrom = trials;
  const priorMs = stored?.tuningMs ?? 0;
  const start = performance.now();

  const observed = new Map<string, Observation[]>();
  /** Each task's default timing, and the best ratio to it a candidate confirmed (1: none yet). */
  const defaults = new Map<string, RunStats>();
  const bestRatio = new Map<string, number>();
  const observe = (task: TuningTask, r: Pick<TuningRecord, 'schedule' | 'stats' | 'failure' | 'comparison'>): void => {
    const steps = (r.schedule as Schedule).steps ?? [];
    if (steps.length === 0 && !r.failure && r.stats) defaults.set(task.key, r.stats);
    const base = defaults.get(task.key);
    if (r.comparison && r.comparison.upper <= WIN_RATIO && r.comparison.ratio < (bestRatio.get(task.key) ?? 1)) bestRatio.set(task.key, r.comparison.ratio);
    // A compared candidate counts at its confirmed time: a lucky measurement alone misleads the strategy.
    const ms = r.failure || !r.stats ? null : r.comparison && base !== undefined ? r.comparison.ratio * base.medianMs : r.stats.medianMs;
    observed.get(task.key)!.push({ steps, ms });
  };
  for (const t of ctx.tasks) {
    observed.set(t.key, []);
    // The default first: the comparisons are ratios to it.
    for (const r of [...records.get(t.key)!].sort((a, b) => stepCount(a) - stepCount(b))) observe(t, r);
  }
  const exhausted = new Set<string>();
  const progress = (status: TuneProgress['status']): TuneProgress => ({
    trials, target: options.trials, resumedFrom, status,
    tasks: ctx.tasks.map((task) => {
      const o = observed.get(task.key)!;
      const defaultMs = defaults.get(task.key)?.medianMs ?? null;
      return { task, trials: o.length, defaultMs, bestMs: defaultMs === null ? null : defaultMs * (bestRatio.get(task.key) ?? 1) };
    }),
  });
  const save = (status: TuneProgress['status']) => (w: Parameters<Parameters<TuningDb['write']>[0]>[0]) =>
    w.saveTuningRun({ ...key, status, trials, tuningMs: priorMs + performance.now() - start, state: { rng: rng.state() } });

  /** Proposal requests by task, each for the number of observations it was made with. */
  const requested = new Map<string, { observations: number; ranked: Promise<Proposal[]> }>();
  const proposals = (task: TuningTask): Promise<Proposal[]> => {
    const o = observed.get(task.key)!;
    const made = requested.get(task.key);
    if (made?.observations === o.length) return made.ranked;
    // The seed follows from the run's seed and the task's observations, never from when the request
    // is made: a request made ahead answers what it would have answered on the task's turn.
    const ranked = pool.propose({ task: task.key, strategy: options.strategy, observations: [...o], count: PROPOSALS, seed: `freight-propose:${options.seed}:${task.key}:${o.length}` });
    ranked.catch(() => {}); // awaited on the task's turn; a pool closed before then is no error
    requested.set(task.key, { observations: o.length, ranked });
    return ranked;
  };

  const comparer = defaultComparer(gpu);
  const measure = async (task: TuningTask, steps: Steps): Promise<Measured> => {
    const isolated = ctx.measurer ? await measureCandidateIsolated(task, steps, ctx.measurer, ctx.target, ctx.limitMs) : undefined;
    return isolated ?? await measureCandidate(task, steps, gpu, ctx.limitMs);
  };
  const commit = async (task: TuningTask, measured: readonly (Measured & { predictedMs: number; comparison: Comparison | null })[]): Promise<void> => {
    const records: NewRecord[] = measured.map((m) => ({
      workload: task.key, device: gpu.fingerprint, format: RECORD_FORMAT, schedule: { v: 1, steps: m.steps },
      stats: m.stats, predictedMs: m.predictedMs, failure: m.failure, detail: m.detail, maxError: m.maxError, tolerance: m.tolerance, comparison: m.comparison,
    }));
    await db.write(async (w) => {
      await w.upsertWorkload({ key: task.key, summary: task.summary });
      await w.addRecords(records);
      await save('running')(w);
    });
    for (const m of measured) observe(task, { schedule: { v: 1, steps: m.steps }, stats: m.stats, failure: m.failure, comparison: m.comparison });
  };

  // Every task's default is measured once, as its baseline, before any trial (and not counted as
  // one): it weighs the task, anchors the comparisons, and is what the tuned plan keeps where no
  // candidate won, so that every workload of a tuned model has its record.
  for (const t of ctx.tasks) {
    if (options.shouldStop?.()) break;
    if (observed.get(t.key)!.some((o) => o.steps.length === 0)) continue;
    const [baseline] = await proposals(t);
    await commit(t, [{ ...await measure(t, baseline.steps), predictedMs: baseline.predictedMs, comparison: null }]);
  }
  const outOfTime = (): boolean => options.timeMs !== undefined && performance.now() - start >= options.timeMs;
  while (trials < options.trials && !outOfTime() && !options.shouldStop?.()) {
    const weightMs = (t: TuningTask): number => (defaults.get(t.key)?.minMs ?? 0) * (bestRatio.get(t.key) ?? 1);
    const task = nextTask(ctx.tasks, observed, exhausted, weightMs);
    if (!task) break;
    const next = proposals(task);
    // The other tasks' observations stay as they are this round: their next proposals can be made now.
    if (pool.workers > 0) for (const t of ctx.tasks) if (t !== task && !exhausted.has(t.key)) void proposals(t);
    const ranked = await next;
    if (ranked.length === 0) {
      exhausted.add(task.key);
      continue;
    }
    const chosen = ranked.slice(0, batch - 1);
    // Exploration: one candidate the cost model does not favour, so its mistakes get measured.
    if (ranked.length > chosen.length) chosen.push(ranked[chosen.length + Math.floor(rng() * (ranked.length - chosen.length))]);
    const candidates = chosen.slice(0, options.trials - trials);
    const measured: (Measured & { predictedMs: number; comparison: Comparison | null })[] = [];
    for (const { steps, predictedMs } of candidates) {
      const m = await measure(task, steps);
      const base = defaults.get(task.key);
      const promising = m.stats && steps.length > 0 && base !== undefined && m.stats.minMs <= base.minMs * COMPARE_WITHIN;
      measured.push({ ...m, predictedMs, comparison: promising ? await comparer.compare(task, steps) : null });
    }
    trials += measured.length;
    await commit(task, measured);
    options.onRound?.(progress('running'));
  }
  const status = trials >= options.trials || ctx.tasks.every((t) => exhausted.has(t.key)) ? 'finished' : 'interrupted';
  await db.write(save(status));
  return progress(status);
}

const stepCount = (r: Pick<TuningRecord, 'schedule'>): number => ((r.schedule as Schedule).steps ?? []).length;

/**
 * The task whose time weighs most on the model (instances × its best time, `bestMs`), discounted by
 * the trials it already had (its baseline, the default, is not a trial).
 */
function nextTask(tasks: readonly TuningTask[], observed: ReadonlyMap<string, Observation[]>, exhausted: ReadonlySet<string>, bestMs: (t: TuningTask) => number): TuningTask | undefined {
  let best: { task: TuningTask; gain: number } | undefined;
  for (const task of tasks) {
    if (exhausted.has(task.key)) continue;
    const gain = (task.instances * bestMs(task)) / Math.sqrt(1 + observed.get(task.key)!.length);
    if (!best || gain > best.gain) best = { task, gain };
  }
  return best?.task;
}
