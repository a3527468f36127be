// `freight tune MODEL [--shape ...] [--db FILE] [--trials N] [--time 8h] [--strategy S] [--workers N]
// [--seed N]`: searches schedules for every distinct kernel of the model's fused program and keeps
// every measurement in the tuning database. Progress goes to stderr. SIGINT or SIGTERM finishes the
// round in flight, saves, and says that the same command resumes; running it again resumes (a run
// is keyed by model, shapes, device, strategy and seed), and `--trials` counts over every session.
// `--workers` threads (one per core by default, 0 for none) propose and score candidates while the
// main thread measures; the same seed and database give the same proposals whatever their number.

import Table from 'cli-table3';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { availableParallelism } from 'node:os';
import { bytesLowerBound } from '../../ir/stats.js';
import { openDevice } from '../../kernels/gpu/device.js';
import { openIsolatedMeasurer } from '../../kernels/measure/isolated-measurer.js';
import { planProgram } from '../../kernels/plan/compile-plan.js';
import { profileDevice } from '../../kernels/profile/index.js';
import { targetOf } from '../../kernels/target.js';
import { tuningTasks } from '../../search/task.js';
import { tune, type TuneProgress } from '../../search/tuner.js';
import { STRATEGY_NAMES, type StrategyName } from '../../search/strategy.js';
import { defaultDbPath, openTuningDb } from '../../tuning-db/index.js';
import { loadModel, lowerModel } from '../model.js';
import { positiveInteger, shapeOption } from '../options.js';
import { dbDevice, modelKey } from '../tuned.js';
import { fmtMs } from './bench.js';
import { costProfileOf, SHORT_SIZES } from './cost.js';

export interface TuneCommandOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  readonly db: string;
  readonly trials: number;
  readonly timeMs?: number;
  readonly strategy: StrategyName;
  readonly seed: number;
  /** Threads that propose and score candidates; 0: the main thread does. Default 0. */
  readonly workers?: number;
  readonly device?: string;
  readonly log: (line: string) => void;
  readonly shouldStop?: () => boolean;
}

export async function tuneModel(path: string, options: TuneCommandOptions): Promise<TuneProgress> {
  const shapes = options.shapes ?? {};
  const lowered = lowerModel(loadModel(path, { shapes }));
  const gpu = await openDevice({ device: options.device, warn: (m) => options.log(`warning: ${m}`) });
  const fused = planProgram(lowered, gpu.limits);
  const tasks = tuningTasks(fused, options.seed);
  options.log(`${fused.kernels.length} kernels, ${tasks.length} distinct workloads; measuring the device…`);
  const profile = costProfileOf(await profileDevice(gpu, SHORT_SIZES[gpu.kind]));
  const db = await openTuningDb(options.db);
  const measurer = await openIsolatedMeasurer({ device: options.device });
  try {
    const model = modelKey(path, shapes);
    await db.write(async (w) => {
      await w.upsertDevice(dbDevice(gpu));
      await w.upsertModel({ key: model, name: path.split('/').pop() ?? path });
    });
    let rounds = 0;
    const result = await tune({ tasks, gpu, target: targetOf(gpu), profile, db, model, measurer }, {
      strategy: options.strategy, seed: options.seed, trials: options.trials, timeMs: options.timeMs, workers: options.workers, shouldStop: options.shouldStop,
      onRound: (p) => {
        rounds++;
        const best = p.tasks.reduce((n, t) => n + t.task.instances * (t.bestMs ?? 0), 0);
        const base = p.tasks.reduce((n, t) => n + t.task.instances * (t.defaultMs ?? t.bestMs ?? 0), 0);
        options.log(`[${bar(p.trials / p.target)}] ${p.trials}/${p.target} trials, kernels ${fmtMs(best)} ms (default ${fmtMs(base)} ms)`);
        if (rounds % 10 === 0) options.log(progressTable(p));
      },
    });
    if (result.resumedFrom > 0) options.log(`resumed after ${result.resumedFrom} trials`);
    return result;
  } finally {
    measurer.close();
    await db.close();
  }
}

const bar = (f: number, width = 24): string => '#'.repeat(Math.round(Math.min(1, f) * width)).padEnd(width, '.');

/** Per task: kernel, ops, instances, default and best ms, GB/s of the compulsory traffic at the best, trials. */
export function progressTable(p: TuneProgress): string {
  const table = new Table({ head: ['kernel', 'ops', 'instances', 'default ms', 'best ms', 'speed-up', 'GB/s', 'trials'], style: { head: [], border: [] } });
  const ms = (x: number | null): string => (x === null ? '–' : fmtMs(x));
  for (const t of p.tasks) {
    const ops = t.task.kernel.ops.join(', ');
    const gbps = t.bestMs ? (bytesLowerBound(t.task.program) / (t.bestMs * 1e6)).toFixed(2) : '–';
    table.push([t.task.kernel.id, ops.length > 48 ? `${ops.slice(0, 47)}…` : ops, t.task.instances, ms(t.defaultMs), ms(t.bestMs),
      t.defaultMs && t.bestMs ? `${(t.defaultMs / t.bestMs).toFixed(2)}×` : '–', gbps, t.trials]);
  }
  return table.toString();
}

/** `8h`, `30m`, `90s`, `1500ms`. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected a duration such as 90s, 30m or 8h, got '${value}'`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 60e3, h: 3600e3 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** `--workers`: a count, 0 included. */
function workerCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a number of worker threads (0 or more), got '${value}'`);
  return Number(value);
}

export function registerTuneCommand(program: Command): void {
  program.command('tune')
    .description('search schedules for every kernel of a model, measured on the device, kept in the tuning database')
    .argument('<MODEL>', 'an .onnx file')
    .addOption(shapeOption())
    .option('--db <FILE>', 'tuning database (default: $FREIGHT_DB, else the user cache folder)')
    .addOption(new Option('--trials <N>', 'measured candidates in total, over every session of this run').argParser(positiveInteger).default(64))
    .addOption(new Option('--time <DURATION>', 'stop after this long (e.g. 30m, 8h)').argParser(parseDuration))
    .addOption(new Option('--strategy <NAME>', 'search strategy').choices([...STRATEGY_NAMES]).default('evolutionary'))
    .addOption(new Option('--workers <N>', 'worker threads that propose and score candidates (0: the main thread)').argParser(workerCount).default(availableParallelism(), 'one per core'))
    .addOption(new Option('--seed <N>', 'seed of the search').argParser(positiveInteger).default(1))
    .option('--device <NAME>', "'auto', 'swiftshader' or part of the adapter's name", 'auto')
    .option('--json', 'print JSON to stdout')
    .action(async (model: string, opts: { shape: Record<string, number[]>; db?: string; trials: number; time?: number; strategy: StrategyName; seed: number; workers: number; device: string; json?: boolean }) => {
      const log = (line: string): void => { process.stderr.write(`${line}\n`); };
      let stop: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stop) process.exit(130);
        stop = signal;
        log(`${signal}: finishing the round in flight and saving (again to quit at once)…`);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const db = opts.db ?? defaultDbPath(process.env);
      const p = await tuneModel(model, { shapes: opts.shape, db, trials: opts.trials, timeMs: opts.time, strategy: opts.strategy, seed: opts.seed, workers: opts.workers, device: opts.device, log, shouldStop: () => stop !== undefined });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ db, status: p.status, trials: p.trials, tasks: p.tasks.map((t) => ({ kernel: t.task.kernel.id, ops: t.task.kernel.ops, workload: t.task.key, instances: t.task.instances, trials: t.trials, defaultMs: t.defaultMs, bestMs: t.bestMs })) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${progressTable(p)}\n`);
      }
      if (p.status === 'interrupted') {
        log(`interrupted after ${p.trials} trials, saved in ${db}; run the same command to resume`);
        if (stop) process.exitCode = 130;
      } else {
        log(`${p.trials} trials, saved in ${db}`);
      }
    });
}
