// How well the analytic cost model ranks kernels on this device: for each zoo model (small size,
// default fusion and schedules), every dispatch of its plan is timed alone (timestamp queries; the
// least of several rounds' medians) and compared with the model's prediction for it, as Spearman's
// ρ over the model's kernels. The device profile is measured in full first. Also: predictions per
// second on the model's heaviest convolution kernel, single-threaded, as a search worker makes them.
//
//   npx tsx bench/cost-model-bench.ts [MODEL...] [--json]        (default: resnet)

import { parseArgs } from 'node:util';
import { COST_MODELS, spearman, type KernelCost } from '../cost-model/index.js';
import { importOnnx } from '../ir/onnx/index.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { resolveGraph } from '../ir/resolve.js';
import { openDevice } from '../kernels/gpu/device.js';
import { timeGpu } from '../kernels/gpu/timer.js';
import { compilePlan, planProgram } from '../kernels/plan/compile-plan.js';
import { profileDevice } from '../kernels/profile/index.js';
import { mapSite, resolveSchedule } from '../kernels/schedule.js';
import { targetOf } from '../kernels/target.js';
import { costProfileOf, costProgram } from '../src/commands/cost.js';
import { seededInputs } from '../src/inputs.js';
import { zooModel } from './zoo/index.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
const models = positionals.length ? positionals : ['resnet'];
const ROUNDS = 5;
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

const gpu = await openDevice({ warn: () => {} });
log(`profiling ${gpu.name}…`);
const profile = costProfileOf(await profileDevice(gpu));
log(`  ${profile.copyGBps.toPrecision(3)} GB/s, ${profile.fmaGflops.toPrecision(3)} GFLOP/s, ${profile.dispatchUs.toPrecision(3)} µs per dispatch`);

interface ModelResult {
  readonly model: string;
  readonly kernels: readonly { id: string; ops: string; predictedMs: number; measuredMs: number; boundBy: string }[];
  /** Spearman's ρ of predicted against measured ms, over kernels. */
  readonly spearman: number;
  /** Median of measured / predicted time, the prediction without its dispatch overhead (a dispatch timed alone does not show it). */
  readonly medianRatio: number;
  readonly predictionsPerSecond: { kernel: string; perSecond: number };
}

const results: ModelResult[] = [];
for (const name of models) {
  const z = zooModel(name);
  if (!z) throw new Error(`cost-model-bench: no zoo model '${name}'`);
  const graph = resolveGraph(importOnnx(z.build('small')), { shapes: z.inputs('small') });
  const lowered = lowerGraph(graph);
  // What compilePlan runs: the default fusion plan under the device's default schedules.
  const program = planProgram(lowered, gpu.limits);
  const schedules = resolveSchedule(program, undefined, targetOf(gpu));
  const plan = await compilePlan(lowered, gpu);
  for (const d of plan.dispatches) {
    if (JSON.stringify(schedules.get(d.site)) !== JSON.stringify(d.schedule)) throw new Error(`cost-model-bench: ${d.site} is planned with another schedule than the one costed`);
  }
  await plan.run(seededInputs(graph, 1));

  // Rounds over all dispatches, each dispatch's time the least of its round medians: on a shared
  // machine, a burst of other work then slows one round of a kernel, not its figure.
  const best = plan.dispatches.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    for (const i of plan.dispatches.keys()) {
      const t = await timeGpu(gpu, (pass) => plan.encodeDispatch(i, pass), { warmupRuns: 1, minRuns: 5, minMeasuredMs: 10 });
      best[i] = Math.min(best[i], t.medianMs);
    }
  }
  const measured = new Map<string, number>();
  plan.dispatches.forEach((d, i) => {
    const kernel = d.site.split('.')[0];
    measured.set(kernel, (measured.get(kernel) ?? 0) + best[i]);
  });
  const costs = costProgram(program, schedules, profile).filter((c) => measured.has(c.id));
  const busy = (c: KernelCost): number => c.predictedMs - c.launchMs;
  const kernels = costs.map((c) => ({ id: c.id, ops: c.ops.join(','), predictedMs: c.predictedMs, measuredMs: measured.get(c.id)!, boundBy: c.boundBy }));
  const ratios = costs.map((c) => measured.get(c.id)! / busy(c)).sort((a, b) => a - b);

  // Predictions per second, one thread: the convolution kernel with the most FLOPs (a model
  // without convolutions: its kernel with the most FLOPs).
  const heaviest = (cs: readonly KernelCost[]): KernelCost | undefined => [...cs].sort((a, b) => b.flops - a.flops)[0];
  const timed = heaviest(costs.filter((c) => c.ops.some((op) => /Conv/.test(op)))) ?? heaviest(costs)!;
  const k = program.kernels.find((x) => x.id === timed.id)!;
  const kernelSchedules = k.maps.map((_, i) => schedules.get(mapSite(k.id, i))!);
  // Per second of this process's CPU time, so that other work on a shared machine does not count.
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < 1000) {
    COST_MODELS.analytic.costKernel(program, k, kernelSchedules, profile);
    n++;
  }
  const used = process.cpuUsage(cpu);
  const perSecond = n / ((used.user + used.system) / 1e6);

  results.push({
    model: name,
    kernels,
    spearman: spearman(kernels.map((x) => x.predictedMs), kernels.map((x) => x.measuredMs)),
    medianRatio: ratios[Math.floor(ratios.length / 2)],
    predictionsPerSecond: { kernel: `${k.id} (${k.ops.join(', ')})`, perSecond },
  });
}

if (values.json) {
  process.stdout.write(`${JSON.stringify({ device: gpu.name, profile, results }, null, 2)}\n`);
} else {
  for (const r of results) {
    console.log(`${r.model}: ${r.kernels.length} kernels, Spearman ρ = ${r.spearman.toFixed(3)}, measured/predicted (launch excluded) median ${r.medianRatio.toPrecision(3)}`);
    console.log(`  predictions per second on ${r.predictionsPerSecond.kernel}: ${r.predictionsPerSecond.perSecond.toFixed(0)}`);
    for (const x of [...r.kernels].sort((a, b) => b.measuredMs - a.measuredMs)) {
      console.log(`  ${x.id.padEnd(5)} measured ${x.measuredMs.toFixed(3).padStart(7)} ms  predicted ${x.predictedMs.toFixed(3).padStart(7)} ms  ${x.boundBy.padEnd(7)} ${x.ops.slice(0, 60)}`);
    }
  }
}
process.exit(0);
