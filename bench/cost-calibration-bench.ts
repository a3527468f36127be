// How well the cost model ranks measured schedules it has not been fitted on: the tuning
// database's valid records of zoo models (small size) on this device, split by workload into
// folds; each fold's records are predicted by the analytic model and by the model calibrated on the
// other folds' records only (cost-model/calibrate.ts). Reported as Spearman's ρ of predicted
// against measured time over every held-out record (pooled), averaged within each workload (how the
// tuner uses it: ranking schedules of one kernel), and with whole models held out. Also:
// predictions per second, one thread, on resnet's first convolution, analytic and calibrated.
// A record's measured time is the least of its runs, as calibration takes it (src/commands/cost.ts
// calibrationSamples); `--measured median` takes the medians instead, for both fitting and scoring.
//
//   npx tsx bench/cost-calibration-bench.ts [MODEL...] [--db FILE] [--trials N] [--lambda L] [--measured min|median] [--json]
//
// Default models: resnet mobilenet-v2 bert-layer. With --trials N (default 300 when --db is not
// given: a fresh temporary database), each model is first tuned for N trials with the random
// strategy through `freight tune`, as a user would.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { calibrate, COST_MODELS, spearman, type CalibrationSample, type CostModel } from '../cost-model/index.js';
import { importOnnx } from '../ir/onnx/index.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { resolveGraph } from '../ir/resolve.js';
import { openDevice } from '../kernels/gpu/device.js';
import { planProgram } from '../kernels/plan/compile-plan.js';
import { profileDevice } from '../kernels/profile/index.js';
import { mapSite, resolveSchedule } from '../kernels/schedule.js';
import { targetOf } from '../kernels/target.js';
import { calibrationSamples } from '../search/calibration.js';
import { costProfileOf, SHORT_SIZES } from '../src/commands/cost.js';
import { openTuningDb, type TuningRecord } from '../tuning-db/index.js';
import { zooModel } from './zoo/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string' }, trials: { type: 'string' }, lambda: { type: 'string' }, measured: { type: 'string', default: 'min' }, json: { type: 'boolean', default: false },
  },
});
const models = positionals.length ? positionals : ['resnet', 'mobilenet-v2', 'bert-layer'];
const FOLDS = 5;
/** Workloads with fewer valid records say little about ranking within a workload. */
const MIN_RECORDS_PER_WORKLOAD = 5;
const lambda = values.lambda === undefined ? undefined : Number(values.lambda);
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

const dir = mkdtempSync(join(tmpdir(), 'freight-calibration-'));
const dbPath = values.db ?? join(dir, 'tuning.db');
const trials = values.trials ?? (values.db ? undefined : '300');
const zoo = models.map((name) => {
  const z = zooModel(name);
  if (!z) throw new Error(`cost-calibration-bench: no zoo model '${name}'`);
  const file = join(dir, `${name}.onnx`);
  const bytes = z.build('small');
  writeFileSync(file, bytes);
  return { name, file, bytes, shapes: z.inputs('small') };
});
if (trials) {
  const bin = new URL('../bin/freight.js', import.meta.url).pathname;
  for (const z of zoo) {
    log(`tuning ${z.name} for ${trials} trials into ${dbPath}…`);
    const shapes = Object.entries(z.shapes).flatMap(([name, dims]) => ['--shape', `${name}=${dims.join(',')}`]);
    execFileSync(process.execPath, [bin, 'tune', z.file, ...shapes, '--db', dbPath, '--trials', trials, '--strategy', 'random', '--seed', '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

const gpu = await openDevice({ warn: () => {} });
const target = targetOf(gpu);
// The profile `freight tune` ranks with: the short one.
const profile = costProfileOf(await profileDevice(gpu, SHORT_SIZES[gpu.kind]));
const db = await openTuningDb(dbPath, { create: false });
const records = async (workload: string): Promise<TuningRecord[]> => {
  const rs = await db.records(workload, gpu.fingerprint);
  return values.measured === 'median' ? rs.map((r) => ({ ...r, stats: r.stats && { ...r.stats, minMs: r.stats.medianMs } })) : rs;
};

interface Sample extends CalibrationSample { readonly model: string }
const samples: Sample[] = [];
const claimed = new Set<string>();
let firstConv: { program: CalibrationSample['program']; kernel: CalibrationSample['kernel'] } | undefined;
for (const z of zoo) {
  const fused = planProgram(lowerGraph(resolveGraph(importOnnx(z.bytes), { shapes: z.shapes })), gpu.limits);
  // A workload two models share is counted once, with the first model.
  const own = (await calibrationSamples(fused, fused.kernels, records, target)).filter((s) => !claimed.has(s.workload));
  for (const s of own) samples.push({ ...s, model: z.name });
  for (const s of own) claimed.add(s.workload);
  if (z.name === 'resnet') firstConv = { program: fused, kernel: fused.kernels.find((k) => k.ops.some((op) => op.endsWith('Conv')))! };
}
await db.close();

const workloads = [...new Set(samples.map((s) => s.workload))].sort();
log(`${samples.length} valid records of ${workloads.length} workloads on ${gpu.name}`);

/** Held-out predictions: each group's samples predicted by the model calibrated on the others. */
function heldOut(groupOf: (s: Sample) => string): { analytic: number; calibrated: number; measured: number; workload: string }[] {
  const out: { analytic: number; calibrated: number; measured: number; workload: string }[] = [];
  for (const group of new Set(samples.map(groupOf))) {
    const fitted = samples.filter((s) => groupOf(s) !== group);
    const model = calibrate(fitted, profile, { lambda });
    for (const s of samples.filter((x) => groupOf(x) === group)) {
      const analytic = COST_MODELS.analytic.costKernel(s.program, s.kernel, s.schedules, profile).predictedMs;
      out.push({ analytic, calibrated: model.costKernel(s.program, s.kernel, s.schedules, profile).predictedMs, measured: s.measuredMs, workload: s.workload });
    }
  }
  return out;
}

function correlations(rows: ReturnType<typeof heldOut>): { pooled: { analytic: number; calibrated: number }; withinWorkload: { analytic: number; calibrated: number; workloads: number } } {
  const rho = (f: (r: (typeof rows)[number]) => number, rs = rows): number => spearman(rs.map(f), rs.map((r) => r.measured));
  const per = [...new Set(rows.map((r) => r.workload))]
    .map((w) => rows.filter((r) => r.workload === w))
    .filter((rs) => rs.length >= MIN_RECORDS_PER_WORKLOAD && new Set(rs.map((r) => r.measured)).size > 1);
  const mean = (f: (r: (typeof rows)[number]) => number): number => {
    const rhos = per.map((rs) => rho(f, rs)).filter((x) => !Number.isNaN(x));
    return rhos.reduce((a, b) => a + b, 0) / rhos.length;
  };
  return {
    pooled: { analytic: rho((r) => r.analytic), calibrated: rho((r) => r.calibrated) },
    withinWorkload: { analytic: mean((r) => r.analytic), calibrated: mean((r) => r.calibrated), workloads: per.length },
  };
}

const byWorkload = correlations(heldOut((s) => String(workloads.indexOf(s.workload) % FOLDS)));
const byModel = models.length > 1 ? correlations(heldOut((s) => s.model)) : undefined;

/** Predictions per second of this process's CPU time (other work on a shared machine does not count). */
function predictionsPerSecond(model: CostModel): number {
  const { program, kernel } = firstConv!;
  const resolved = resolveSchedule(program, undefined, target);
  const schedules = kernel.maps.map((_, i) => resolved.get(mapSite(kernel.id, i))!);
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < 1000) {
    model.costKernel(program, kernel, schedules, profile);
    n++;
  }
  const used = process.cpuUsage(cpu);
  return n / ((used.user + used.system) / 1e6);
}
const calibrated = calibrate(samples, profile, { lambda });
const speed = firstConv && {
  kernel: `${firstConv.kernel.id} (${firstConv.kernel.ops.join(', ')})`,
  analytic: predictionsPerSecond(COST_MODELS.analytic),
  calibrated: predictionsPerSecond(calibrated),
};

const result = { device: gpu.name, db: dbPath, models, measured: values.measured, records: samples.length, workloads: workloads.length, lambda, heldOutWorkloads: byWorkload, heldOutModels: byModel, predictionsPerSecond: speed, weights: calibrated.weights };
if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const f = (x: number): string => x.toFixed(3);
  console.log(`${gpu.name}: ${samples.length} valid records of ${workloads.length} workloads (${models.join(', ')}), ${values.measured} of runs, λ = ${lambda ?? 'default'}`);
  console.log(`held-out workloads (${FOLDS} folds): pooled ρ analytic ${f(byWorkload.pooled.analytic)}, calibrated ${f(byWorkload.pooled.calibrated)}; within a workload (mean of ${byWorkload.withinWorkload.workloads}) analytic ${f(byWorkload.withinWorkload.analytic)}, calibrated ${f(byWorkload.withinWorkload.calibrated)}`);
  if (byModel) console.log(`held-out models: pooled ρ analytic ${f(byModel.pooled.analytic)}, calibrated ${f(byModel.pooled.calibrated)}; within a workload analytic ${f(byModel.withinWorkload.analytic)}, calibrated ${f(byModel.withinWorkload.calibrated)}`);
  if (speed) console.log(`predictions per second on ${speed.kernel}: analytic ${speed.analytic.toFixed(0)}, calibrated ${speed.calibrated.toFixed(0)}`);
}
process.exit(0);
