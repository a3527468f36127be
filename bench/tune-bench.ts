// Does tuning win? For each zoo model (small size): a fresh tuning database, `freight tune` for a
// number of trials, then one `freight bench` run with that database, which times `freight` (the
// tuned schedules) and `freight-untuned` (the defaults) interleaved in one process. Then the two
// plans' dispatches alone: each dispatch's median GPU time (timestamp queries), summed, the plans
// timed alternately: what tuning changes, without uploads, readback and the scheduling noise of a
// loaded machine. Prints and writes bench/results/tune-<device>.md: tuned and untuned medians and
// their ratio (the issue's target is ≤ 0.8 after 64 trials), the dispatch sums, trials, tuning
// time, how many workloads a confirmed win replaced, and the machine's load average, since a
// shared machine's load is part of every timing.
//
//   npx tsx bench/tune-bench.ts MODEL... [--trials 64] [--runs 21] [--seed 1] [--device auto|NAME] [--out DIR]

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDevice } from '../kernels/gpu/device.js';
import { timestampPasses } from '../kernels/gpu/timer.js';
import { benchModel, fmtMs, stats, type BenchReport } from '../src/commands/bench.js';
import { tuneModel } from '../src/commands/tune.js';
import { seededInputs } from '../src/inputs.js';
import { loadModel, lowerModel } from '../src/model.js';
import { planModel } from '../src/tuned.js';
import { deviceSlug } from './webgpu-bench.js';
import { zooModel } from './zoo/index.js';

export interface TuneBenchEntry {
  readonly model: string;
  readonly trials: number;
  readonly tuningMs: number;
  /** Workloads tuned, and those whose default a confirmed win replaced. */
  readonly workloads: number;
  readonly wins: number;
  readonly tunedMs: number;
  readonly untunedMs: number;
  /** Sums of the dispatches' median GPU times; absent without timestamp queries. */
  readonly dispatches?: { readonly tunedMs: number; readonly untunedMs: number };
  readonly report: BenchReport;
  /** 1-minute load average before tuning and after the bench. */
  readonly load: readonly [number, number];
}

export interface TuneBenchOptions {
  readonly trials: number;
  readonly runs: number;
  readonly seed: number;
  readonly device?: string;
  readonly log: (line: string) => void;
}

export async function tuneBench(name: string, options: TuneBenchOptions): Promise<TuneBenchEntry> {
  const zoo = zooModel(name);
  if (!zoo) throw new Error(`there is no zoo model '${name}'`);
  const dir = mkdtempSync(join(tmpdir(), 'freight-tune-bench-'));
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, zoo.build('small'));
  const shapes = zoo.inputs('small');
  const db = join(dir, 'tuning.db');
  const loadBefore = loadavg()[0];
  const start = performance.now();
  const tuned = await tuneModel(path, { shapes, db, trials: options.trials, strategy: 'evolutionary', seed: options.seed, device: options.device, log: options.log });
  const tuningMs = performance.now() - start;
  const report = await benchModel(path, { shapes, db, runs: options.runs, device: options.device, warn: options.log });
  const ms = (system: string): number => report.systems.find((s) => s.name === system)!.medianMs;
  const dispatches = await dispatchSums(path, shapes, db, options.runs, options.device);
  return {
    model: name, trials: tuned.trials, tuningMs, report, tunedMs: ms('freight'), untunedMs: ms('freight-untuned'),
    ...(dispatches ? { dispatches } : {}),
    workloads: tuned.tasks.filter((t) => t.defaultMs !== null).length,
    wins: tuned.tasks.filter((t) => t.bestMs !== null && t.defaultMs !== null && t.bestMs < t.defaultMs).length,
    load: [loadBefore, loadavg()[0]],
  };
}

/**
 * The tuned and untuned plans' dispatch sums over `runs` rounds; in each, every dispatch of one
 * plan is timed next to the same dispatch of the other (in alternating order), so that a burst of
 * load hits both plans alike.
 */
async function dispatchSums(path: string, shapes: Readonly<Record<string, readonly number[]>>, db: string, runs: number, device?: string): Promise<TuneBenchEntry['dispatches']> {
  const gpu = await openDevice({ device, warn: () => {} });
  if (!gpu.timestamps) return undefined;
  const model = loadModel(path, { shapes });
  const lowered = lowerModel(model);
  const plans = [(await planModel(lowered, gpu, { db })).plan, (await planModel(lowered, gpu)).plan];
  const inputs = seededInputs(model.graph, 0);
  for (const p of plans) await p.run(inputs);
  const times = plans.map((p) => p.dispatches.map(() => [] as number[]));
  const order = plans[0].dispatches.flatMap((_, d) => plans.map((p, i) => ({ i, d, encode: (pass: GPUComputePassEncoder) => p.encodeDispatch(d, pass) })));
  for (let r = 0; r < runs; r++) {
    const round = r % 2 === 0 ? order : order.map((_, j) => order[j ^ 1]);
    const { beginNs, endNs } = await timestampPasses(gpu, round.map((x) => x.encode));
    round.forEach(({ i, d }, j) => times[i][d].push(Number(endNs[j] - beginNs[j]) / 1e6));
  }
  const [tunedMs, untunedMs] = times.map((perDispatch) => perDispatch.reduce((sum, xs) => sum + stats(xs).medianMs, 0));
  return { tunedMs, untunedMs };
}

export function markdownReport(entries: readonly TuneBenchEntry[], runs: number): string {
  const device = entries[0]?.report.device;
  const lines = [
    `# Tuned against untuned (small zoo, medians of ${runs} bench runs)`,
    '',
    device ? `Device: ${device.description || device.vendor} (${device.vendor} ${device.architecture}, ${device.backend}).` : '',
    'Per model: a fresh database, `freight tune --trials N` (evolutionary, seed 1), then one `freight bench --db`, which times',
    '`freight` (tuned) and `freight-untuned` interleaved, wall clock per run. A workload keeps its default schedule unless a',
    'candidate beat it when the two were timed alternately (search/compare-with-default.ts).',
    device?.backend.includes('swiftshader') ? 'SwiftShader runs on the CPU: other processes on the machine slow both systems, and its load average is given.' : '',
    '',
    '| model | tuned ms | untuned ms | tuned / untuned | dispatch sum tuned / untuned (ms) | ratio | trials | tuning time | workloads tuned | confirmed wins | load (before, after) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...entries.map((e) => `| ${e.model} | ${fmtMs(e.tunedMs)} | ${fmtMs(e.untunedMs)} | ${(e.tunedMs / e.untunedMs).toFixed(3)} | `
      + `${e.dispatches ? `${fmtMs(e.dispatches.tunedMs)} / ${fmtMs(e.dispatches.untunedMs)} | ${(e.dispatches.tunedMs / e.dispatches.untunedMs).toFixed(3)}` : '– | –'} | `
      + `${e.trials} | ${(e.tuningMs / 1000).toFixed(0)} s | ${e.workloads} | ${e.wins} | ${e.load.map((x) => x.toFixed(1)).join(', ')} |`),
    '',
  ];
  for (const e of entries) {
    lines.push(`## ${e.model}`, '', '| system | median ms | min ms | max ms | runs | note |', '|---|---|---|---|---|---|');
    for (const s of e.report.systems) lines.push(`| ${s.name} | ${fmtMs(s.medianMs)} | ${fmtMs(s.minMs)} | ${fmtMs(s.maxMs)} | ${s.runs} | ${s.note ?? ''} |`);
    lines.push('');
  }
  return lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    trials: { type: 'string', default: '64' },
    runs: { type: 'string', default: '21' },
    seed: { type: 'string', default: '1' },
    device: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'bench/results' },
  } });
  if (positionals.length === 0) throw new Error('name the zoo models to tune, e.g. mobilenet-v2 bert-layer');
  const runs = Number(values.runs);
  const log = (line: string): void => { process.stderr.write(`${line}\n`); };
  const entries: TuneBenchEntry[] = [];
  for (const name of positionals) {
    log(`${name}: tuning ${values.trials} trials…`);
    entries.push(await tuneBench(name, { trials: Number(values.trials), runs, seed: Number(values.seed), device: values.device, log }));
  }
  const markdown = markdownReport(entries, runs);
  process.stdout.write(`${markdown}\n`);
  const file = join(values.out, `tune-${deviceSlug(entries[0].report.device)}.md`);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(file, `${markdown}\n`);
  log(`wrote ${file}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
