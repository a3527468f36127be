// The tuning loop, on the main thread (it owns the Dawn device and the database). Each round picks
// the task whose improvement would save the most model time (instances × best time, discounted by
// the trials it already had), asks the strategy for proposals, ranks them with the cost model,
// measures the best few plus one for exploration, and commits the records together with the run's
// state (trials, RNG state) in one transaction: a killed process loses at most the round in flight,
// and the same command resumes. Observations come back from the database, so a resumed run, or a
// run with another strategy, starts from everything measured before on this device.

import seedrandom from 'seedrandom';
import { costKernel, type CostProfile } from '../cost-model/index.js';
import type { GpuDevice } from '../kernels/gpu/device.js';
import type { IsolatedMeasurer } from '../kernels/measure/isolated-measurer.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { RECORD_FORMAT } from '../kernels/record-format.js';
import { mapSite, resolveSchedule, type Schedule, type ScheduleTarget } from '../kernels/schedule.js';
import type { NewRecord, TuningDb, TuningRunKey } from '../tuning-db/index.js';
import { measureCandidate, measureCandidateIsolated, type Measured } from './measure-candidate.js';
import { taskMutator } from './mutator.js';
import { STRATEGIES, type Observation, type Steps, type StrategyName } from './strategy.js';
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
  /** Asked between rounds (SIGINT / SIGTERM): the round in flight finishes and is saved. */
  readonly shouldStop?: () => boolean;
  /** After each round. */
  readonly onRound?: (state: TuneProgress) => void;
}

export interface TaskProgress {
  readonly task: TuningTask;
  readonly trials: number;
  /** The default schedule's median, and the best valid one's. */
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

/** Proposals asked of the strategy per round; the cost model keeps the best `batch - 1`. */
const PROPOSALS = 16;

export async function tune(ctx: TuneContext, options: TuneOptions): Promise<TuneProgress> {
  const { gpu, db } = ctx;
  const key: TuningRunKey = { model: ctx.model, device: gpu.fingerprint, strategy: options.strategy, seed: options.seed };
  const stored = await db.loadTuningRun(key);
  const saved = (stored?.state as { rng?: seedrandom.State.Arc4 } | undefined)?.rng;
  const rng = saved ? seedrandom('', { state: saved }) : seedrandom(`freight-tune:${options.seed}`, { state: true });
  const strategy = STRATEGIES[options.strategy];
  const batch = options.batch ?? 4;
  let trials = stored?.trials ?? 0;
  const resumedFrom = trials;
  const priorMs = stored?.tuningMs ?? 0;
  const start = performance.now();

  const observed = new Map<string, Observation[]>();
  const seen = new Map<string, Set<string>>();
  for (const t of ctx.tasks) {
    const records = (await db.records(t.key, gpu.fingerprint)).filter((r) => r.format === RECORD_FORMAT);
    observed.set(t.key, records.map((r) => ({ steps: (r.schedule as Schedule).steps ?? [], ms: r.failure ? null : r.stats?.medianMs ?? null })));
    seen.set(t.key, new Set(records.map((r) => JSON.stringify((r.schedule as Schedule).steps ?? []))));
  }
  const exhausted = new Set<string>();
  const progress = (status: TuneProgress['status']): TuneProgress => ({
    trials, target: options.trials, resumedFrom, status,
    tasks: ctx.tasks.map((task) => {
      const o = observed.get(task.key)!;
      const valid = o.filter((x) => x.ms !== null).map((x) => x.ms!);
      return { task, trials: o.length, defaultMs: o.find((x) => x.steps.length === 0)?.ms ?? null, bestMs: valid.length ? Math.min(...valid) : null };
    }),
  });
  const save = (status: TuneProgress['status']) => (w: Parameters<Parameters<TuningDb['write']>[0]>[0]) =>
    w.saveTuningRun({ ...key, status, trials, tuningMs: priorMs + performance.now() - start, state: { rng: rng.state() } });

  const predicted = (task: TuningTask, steps: Steps): number => {
    const id = task.kernel.id;
    const s = resolveSchedule(task.program, { v: 1, steps: bindSteps(steps, id) }, ctx.target);
    return costKernel(task.program, task.kernel, task.kernel.maps.map((_, i) => s.get(mapSite(id, i))!), ctx.profile).predictedMs;
  };

  const outOfTime = (): boolean => options.timeMs !== undefined && performance.now() - start >= options.timeMs;
  while (trials < options.trials && !outOfTime() && !options.shouldStop?.()) {
    const task = nextTask(ctx.tasks, observed, exhausted);
    if (!task) break;
    const o = observed.get(task.key)!;
    const known = seen.get(task.key)!;
    let candidates: { steps: Steps; ms: number }[];
    if (!known.has('[]')) {
      candidates = [{ steps: [], ms: predicted(task, []) }];
    } else {
      const fresh = new Map<string, Steps>();
      for (const steps of strategy.propose(o, PROPOSALS, taskMutator(task, ctx.target), rng)) {
        const k = JSON.stringify(steps);
        if (!known.has(k)) fresh.set(k, steps);
      }
      if (fresh.size === 0) {
        exhausted.add(task.key);
        continue;
      }
      const ranked = [...fresh.values()].map((steps) => ({ steps, ms: predicted(task, steps) })).sort((a, b) => a.ms - b.ms);
      const chosen = ranked.slice(0, batch - 1);
      // Exploration: one candidate the cost model does not favour, so its mistakes get measured.
      if (ranked.length > chosen.length) chosen.push(ranked[chosen.length + Math.floor(rng() * (ranked.length - chosen.length))]);
      candidates = chosen;
    }
    candidates = candidates.slice(0, options.trials - trials);
    const measured: (Measured & { predictedMs: number })[] = [];
    for (const { steps, ms } of candidates) {
      const isolated = ctx.measurer ? await measureCandidateIsolated(task, steps, ctx.measurer, ctx.target, ctx.limitMs) : undefined;
      measured.push({ ...(isolated ?? await measureCandidate(task, steps, gpu, ctx.limitMs)), predictedMs: ms });
    }
    const records: NewRecord[] = measured.map((m) => ({
      workload: task.key, device: gpu.fingerprint, format: RECORD_FORMAT, schedule: { v: 1, steps: m.steps },
      stats: m.stats, predictedMs: m.predictedMs, failure: m.failure, detail: m.detail, maxError: m.maxError, tolerance: m.tolerance,
    }));
    trials += measured.length;
    await db.write(async (w) => {
      await w.upsertWorkload({ key: task.key, summary: task.summary });
      await w.addRecords(records);
      await save('running')(w);
    });
    for (const m of measured) {
      o.push({ steps: m.steps, ms: m.stats?.medianMs ?? null });
      known.add(JSON.stringify(m.steps));
    }
    options.onRound?.(progress('running'));
  }
  const status = trials >= options.trials || ctx.tasks.every((t) => exhausted.has(t.key)) ? 'finished' : 'interrupted';
  await db.write(save(status));
  return progress(status);
}

/** The task not yet measured first, else the one whose best time weighs most on the model. */
function nextTask(tasks: readonly TuningTask[], observed: ReadonlyMap<string, Observation[]>, exhausted: ReadonlySet<string>): TuningTask | undefined {
  let best: { task: TuningTask; gain: number } | undefined;
  for (const task of tasks) {
    if (exhausted.has(task.key)) continue;
    const o = observed.get(task.key)!;
    if (!o.some((x) => x.steps.length === 0)) return task;
    const valid = o.filter((x) => x.ms !== null).map((x) => x.ms!);
    const gain = (task.instances * (valid.length ? Math.min(...valid) : 0)) / Math.sqrt(1 + o.length);
    if (!best || gain > best.gain) best = { task, gain };
  }
  return best?.task;
}
