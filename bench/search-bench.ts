// Does evolutionary search beat random search? For each seed, the tuner (search/tuner.ts `tune`)
// runs every strategy on the same model, each into a fresh database, and the bench follows the
// model estimate — Σ over tasks of instances × the best time measured so far (the default's until a
// candidate beats it) — trial by trial. The answer per seed: the trial at which each strategy first
// reaches random's best after all its trials, and whether evolutionary needs at most a third of them.
//
// Timings on a shared CPU differ between two measurements of one kernel by more than most schedules
// gain, which would make the comparison a lottery. So every measurement goes through one memo keyed
// by the candidate's WGSL, dispatch and buffers: a schedule measured by one strategy has the same
// time for the others and for the other seeds (and, with --memo FILE, for later runs of the bench). Only kernels the isolated measurer takes (one map that does not
// read what it writes: nearly all after fusion) are tuned, so that every measurement is memoized;
// the tuner's paired comparisons with the default (compare-with-default.ts) still run live, and
// only steer its strategies.
//
//   npx tsx bench/search-bench.ts [--model bert-layer] [--seeds 1,2,3] [--trials 256]
//                                 [--strategies random,evolutionary] [--out bench/results/search-swiftshader.md]
//                                 [--memo FILE]

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importOnnx } from '../ir/onnx/index.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { resolveGraph } from '../ir/resolve.js';
import { openDevice } from '../kernels/gpu/device.js';
import { openIsolatedMeasurer, type IsolatedMeasurer } from '../kernels/measure/isolated-measurer.js';
import type { KernelSpec } from '../kernels/measure/kernel-spec.js';
import type { MeasureResult } from '../kernels/measure/measure-result.js';
import { planProgram } from '../kernels/plan/compile-plan.js';
import { profileDevice } from '../kernels/profile/index.js';
import { targetOf } from '../kernels/target.js';
import { measureCandidateIsolated } from '../search/measure-candidate.js';
import { STRATEGY_NAMES, type StrategyName } from '../search/strategy.js';
import { tuningTasks, type TuningTask } from '../search/task.js';
import { tune } from '../search/tuner.js';
import { costProfileOf, SHORT_SIZES } from '../src/commands/cost.js';
import { dbDevice } from '../src/tuned.js';
import { openTuningDb } from '../tuning-db/index.js';
import { zooModel } from './zoo/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'bert-layer' },
    seeds: { type: 'string', default: '1,2,3' },
    trials: { type: 'string', default: '256' },
    strategies: { type: 'string', default: 'random,evolutionary' },
    out: { type: 'string', default: 'bench/results/search-swiftshader.md' },
    memo: { type: 'string' },
  },
});
const seeds = values.seeds.split(',').map(Number);
const trials = Number(values.trials);
const strategies = values.strategies.split(',') as StrategyName[];
for (const s of strategies) if (!STRATEGY_NAMES.includes(s)) throw new Error(`--strategies: unknown strategy '${s}'`);
if (!strategies.includes('random')) throw new Error('--strategies must include random: it sets the bar');
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

/** Measurements by candidate, kept in a file between runs of the bench. */
type Memo = Map<string, Promise<MeasureResult>>;

function loadMemo(file: string | undefined): Memo {
  if (!file || !existsSync(file)) return new Map();
  const stored = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, MeasureResult>);
  return new Map(stored.map(([k, r]) => [k, Promise.resolve(r.ok ? { ...r, medianMs: r.minMs } : r)]));
}

async function saveMemo(memo: Memo, file: string | undefined): Promise<void> {
  if (file) writeFileSync(file, JSON.stringify(Object.fromEntries(await Promise.all([...memo].map(async ([k, r]) => [k, await r])))));
}

/**
 * The measurer behind the memo: a candidate measured before answers as it did then. Its time is
 * the least of its timed runs, not their median: on a loaded CPU, SwiftShader's threads lose the
 * processor in the middle of a dispatch and its timestamps count the wait (medians of several
 * hundred ms were seen for sub-millisecond kernels), and interference only ever adds time.
 */
function memoized(inner: IsolatedMeasurer, memo: Memo): IsolatedMeasurer & { readonly hits: () => number } {
  let hits = 0;
  const keyOf = (spec: KernelSpec): string => {
    const h = createHash('sha256').update(spec.code).update(JSON.stringify(spec.workgroups));
    for (const b of spec.bindings) {
      h.update(`|${b.binding}:${b.kind}:${b.size ?? ''}:${b.output ?? ''}`);
      if (b.data) h.update(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength));
    }
    return h.digest('hex');
  };
  return {
    get device() { return inner.device; },
    get pid() { return inner.pid; },
    measure(spec, options) {
      const key = keyOf(spec);
      const known = memo.get(key);
      if (known) {
        hits++;
        return known;
      }
      const result = inner.measure(spec, options).then((r) => (r.ok ? { ...r, medianMs: r.minMs } : r));
      memo.set(key, result);
      return result;
    },
    close: () => inner.close(),
    hits: () => hits,
  };
}

const zoo = zooModel(values.model);
if (!zoo) throw new Error(`--model: no zoo model '${values.model}'`);
const gpu = await openDevice({ warn: () => {} });
const target = targetOf(gpu);
const fused = planProgram(lowerGraph(resolveGraph(importOnnx(zoo.build('small')), { shapes: zoo.inputs('small') })), gpu.limits);
const allTasks = tuningTasks(fused, 0);
log(`${values.model} small: ${fused.kernels.length} kernels, ${allTasks.length} workloads on ${gpu.name}; profiling the device…`);
const profile = costProfileOf(await profileDevice(gpu, SHORT_SIZES[gpu.kind]));

interface Run {
  readonly strategy: StrategyName;
  /** The model estimate after each trial (index 0: after the first). */
  readonly curve: readonly number[];
  readonly wallS: number;
}

interface SeedResult {
  readonly seed: number;
  readonly tasks: number;
  readonly defaultMs: number;
  readonly runs: readonly Run[];
  readonly memoHits: number;
}

/** The first trial (1-based) at which `curve` is at most `bar`, or undefined. */
const reaches = (curve: readonly number[], bar: number): number | undefined => {
  const i = curve.findIndex((x) => x <= bar * (1 + 1e-12));
  return i < 0 ? undefined : i + 1;
};

const memo = loadMemo(values.memo);

async function benchSeed(seed: number): Promise<SeedResult> {
  const measurer = memoized(await openIsolatedMeasurer({ warn: () => {} }), memo);
  try {
    // Each task's default, measured through the memo: the estimate's starting point for every strategy.
    const defaults = new Map<string, number>();
    const tasks: TuningTask[] = [];
    for (const t of allTasks) {
      const m = await measureCandidateIsolated(t, [], measurer, target);
      if (m?.stats) {
        tasks.push(t);
        defaults.set(t.key, m.stats.medianMs);
      }
    }
    const estimate = (best: ReadonlyMap<string, number>): number => tasks.reduce((n, t) => n + t.instances * best.get(t.key)!, 0);
    const runs: Run[] = [];
    for (const strategy of strategies) {
      const path = join(mkdtempSync(join(tmpdir(), 'freight-search-bench-')), 'tuning.db');
      const db = await openTuningDb(path);
      const model = `search-bench:${values.model}`;
      await db.write(async (w) => {
        await w.upsertDevice(dbDevice(gpu));
        await w.upsertModel({ key: model, name: values.model });
      });
      const start = performance.now();
      const p = await tune({ tasks, gpu, target, profile, db, model, measurer }, {
        strategy, seed, trials,
        onRound: (r) => { if (r.trials % 32 < 4) log(`  seed ${seed} ${strategy}: ${r.trials}/${trials} trials`); },
      });
      const wallS = (performance.now() - start) / 1000;
      const best = new Map(defaults);
      const curve: number[] = [];
      for await (const r of db.allRecords()) {
        if (r.stats && !r.failure) best.set(r.workload, Math.min(best.get(r.workload)!, r.stats.medianMs));
        curve.push(estimate(best));
      }
      await db.close();
      if (curve.length !== p.trials) throw new Error(`${strategy}: ${curve.length} records for ${p.trials} trials`);
      runs.push({ strategy, curve, wallS });
      await saveMemo(memo, values.memo);
      log(`  seed ${seed} ${strategy}: ${curve.length} trials in ${wallS.toFixed(0)} s, estimate ${curve[curve.length - 1].toFixed(4)} ms`);
    }
    return { seed, tasks: tasks.length, defaultMs: estimate(defaults), runs, memoHits: measurer.hits() };
  } finally {
    measurer.close();
  }
}

const results: SeedResult[] = [];
for (const seed of seeds) results.push(await benchSeed(seed));

const third = Math.floor(trials / 3);
const fmt = (ms: number): string => ms.toFixed(4);
const lines = [
  `# Search strategies on SwiftShader: ${values.model} small, ${trials} trials`,
  '',
  `Written by \`npx tsx bench/search-bench.ts --model ${values.model} --seeds ${values.seeds} --trials ${trials} --strategies ${values.strategies}\`.`,
  `Model estimate: Σ instances × best measured ms (least of a candidate's timed runs) over the tuned workloads (the default's until beaten).`,
  `"Reaches" is the first trial at which a strategy's estimate is at most random's after ${trials} trials;`,
  `evolutionary passes where that is at most ${third} (a third). Measurements are memoized across strategies and seeds.`,
  '',
  '| seed | workloads | default ms | strategy | ms after ' + trials + ' | ms after ' + third + ' | reaches random\'s best at | wall s |',
  '|---|---|---|---|---|---|---|---|',
];
for (const r of results) {
  const bar = r.runs.find((x) => x.strategy === 'random')!.curve.at(-1)!;
  for (const run of r.runs) {
    const at = reaches(run.curve, bar);
    lines.push(`| ${r.seed} | ${r.tasks} | ${fmt(r.defaultMs)} | ${run.strategy} | ${fmt(run.curve.at(-1)!)} | ${fmt(run.curve[Math.min(third, run.curve.length) - 1])} | ${at ?? 'never'} | ${run.wallS.toFixed(0)} |`);
  }
}
const verdicts = results.map((r) => {
  const bar = r.runs.find((x) => x.strategy === 'random')!.curve.at(-1)!;
  const at = reaches(r.runs.find((x) => x.strategy === 'evolutionary')?.curve ?? [], bar);
  return { seed: r.seed, at, pass: at !== undefined && at <= third, memoHits: r.memoHits };
});
lines.push('', ...verdicts.map((v) => `- seed ${v.seed}: evolutionary reaches random's ${trials}-trial best at trial ${v.at ?? 'never'} — ${v.pass ? 'within' : 'NOT within'} ${third} (memo hits ${v.memoHits})`));
lines.push('', `Evolutionary within a third of the trials on ${verdicts.filter((v) => v.pass).length} of ${verdicts.length} seeds.`, '');
writeFileSync(values.out, lines.join('\n'));
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
