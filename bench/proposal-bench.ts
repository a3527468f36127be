// Proposals per second on resnet's first convolution (bench/zoo, full size) from the proposal pool
// on the main thread (0) and with worker threads: each request asks the evolutionary strategy for
// 16 schedules, every one mutated or crossed over and scored by the cost model. Pools are started
// and warmed first; the configurations then run interleaved for several rounds and medians are
// reported. Rates are per second of wall time (what tuning sees; worker threads scale it only on
// idle cores) and per second of this process's CPU time, all threads together (what a prediction
// costs, the pool's overhead included, whatever else the machine runs).
//
//   npx tsx bench/proposal-bench.ts [--workers 0,1,2] [--rounds 5] [--requests 32] [--json]

import { parseArgs } from 'node:util';
import { NOMINAL_PROFILE } from '../cost-model/index.js';
import { workloadKey } from '../ir/canonical.js';
import { fuseProgram } from '../ir/fusion/index.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { importOnnx } from '../ir/onnx/index.js';
import { resolveGraph } from '../ir/resolve.js';
import { DEFAULT_TARGET } from '../kernels/schedule.js';
import { openProposalPool, type ProposalPool } from '../search/proposal-pool.js';
import type { ProposalRequest, ProposalTask } from '../search/proposer.js';
import type { Observation } from '../search/strategy.js';
import { kernelProgram } from '../search/task.js';
import { zooModel } from './zoo/index.js';

const { values } = parseArgs({ options: {
  workers: { type: 'string', default: '0,1,2' },
  rounds: { type: 'string', default: '5' },
  requests: { type: 'string', default: '32' },
  json: { type: 'boolean', default: false },
} });
const counts = values.workers.split(',').map(Number);
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

const resnet = zooModel('resnet')!;
const fused = fuseProgram(lowerGraph(resolveGraph(importOnnx(resnet.build('full')), { shapes: resnet.inputs('full') }))).program;
const conv = fused.kernels.find((k) => k.ops.some((op) => op.endsWith('Conv')))!;
const task: ProposalTask = { key: workloadKey(fused, conv), kernel: conv, program: kernelProgram(fused, conv) };
log(`${conv.id}: ${conv.ops.join(', ')}`);

const request = (observations: readonly Observation[], seed: string): ProposalRequest =>
  ({ task: task.key, strategy: 'evolutionary', observations, count: 16, seed });
// A population to breed from: the default and the first proposals, timed a little off their predictions.
const here = openProposalPool([task], DEFAULT_TARGET, NOMINAL_PROFILE, 0);
const [byDefault] = await here.propose(request([], 'default'));
const first = await here.propose(request([{ steps: [], ms: byDefault.predictedMs }], 'first'));
const observations: Observation[] = [{ steps: [], ms: byDefault.predictedMs }, ...first.slice(0, 8).map((p, i) => ({ steps: p.steps, ms: p.predictedMs * (1 + i / 10) }))];
await here.close();

interface Rate { readonly perSecond: number; readonly perCpuSecond: number }

/** Predictions per second answering `requests` requests at once. */
async function rate(pool: ProposalPool, round: string): Promise<Rate> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const answers = await Promise.all(Array.from({ length: requests }, (_, i) => pool.propose(request(observations, `${round}:${i}`))));
  const used = process.cpuUsage(cpu);
  const n = answers.reduce((sum, a) => sum + a.length, 0);
  return { perSecond: n / ((performance.now() - start) / 1e3), perCpuSecond: n / ((used.user + used.system) / 1e6) };
}

const pools = new Map<number, ProposalPool>(counts.map((n) => [n, openProposalPool([task], DEFAULT_TARGET, NOMINAL_PROFILE, n)]));
for (const [n, pool] of pools) await rate(pool, `warm-up:${n}`);
const rates = new Map<number, Rate[]>(counts.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) for (const [n, pool] of pools) rates.get(n)!.push(await rate(pool, `round:${r}`));
await Promise.all([...pools.values()].map((p) => p.close()));

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = counts.map((workers) => {
  const perSecond = median(rates.get(workers)!.map((r) => r.perSecond));
  const perCpuSecond = median(rates.get(workers)!.map((r) => r.perCpuSecond));
  return { workers, perSecond, perWorker: perSecond / Math.max(1, workers), perCpuSecond, rounds: rates.get(workers)! };
});
if (values.json) {
  process.stdout.write(`${JSON.stringify({ kernel: `${conv.id} (${conv.ops.join(', ')})`, requests, results }, null, 2)}\n`);
} else {
  for (const r of results) {
    console.log(`${String(r.workers).padStart(2)} worker(s): ${r.perSecond.toFixed(0).padStart(6)} predictions/s, ${r.perWorker.toFixed(0).padStart(6)} per worker, ${r.perCpuSecond.toFixed(0).padStart(6)} per CPU-second (medians of ${rounds})`);
  }
}
