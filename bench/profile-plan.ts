// Per-dispatch GPU time of a model's default plan (timestamp queries), the heaviest first: where a
// model's time goes, kernel by kernel. MODEL is a zoo model's name or an .onnx file.
//
//   npx tsx bench/profile-plan.ts MODEL [--size small|full] [--shape NAME=D0,D1,...]... [--top N] [--runs N] [--dump SITE]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importOnnx } from '../ir/onnx/index.js';
import { resolveGraph } from '../ir/resolve.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { openDevice } from '../kernels/gpu/device.js';
import { timestampPasses } from '../kernels/gpu/timer.js';
import { compilePlan } from '../kernels/plan/compile-plan.js';
import { seededInputs } from '../src/inputs.js';
import { zooModel, type ZooSize } from './zoo/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { size: { type: 'string', default: 'small' }, shape: { type: 'string', multiple: true, default: [] }, top: { type: 'string', default: '15' }, dump: { type: 'string' }, runs: { type: 'string', default: '5' } },
});
const size = values.size as ZooSize;
const z = positionals[0].endsWith('.onnx') ? undefined : zooModel(positionals[0]);
if (!z && !positionals[0].endsWith('.onnx')) throw new Error(`no zoo model ${positionals[0]}`);
const shapes = Object.fromEntries(values.shape.map((s) => {
  const at = s.lastIndexOf('=');
  return [s.slice(0, at), s.slice(at + 1).split(',').map(Number)];
}));
const graph = z ? resolveGraph(importOnnx(z.build(size)), { shapes: z.inputs(size) }) : resolveGraph(importOnnx(readFileSync(positionals[0])), { shapes });
const program = lowerGraph(graph);
const gpu = await openDevice({ warn: () => {} });
let t = performance.now();
const plan = await compilePlan(program, gpu);
console.log(`compile ${(performance.now() - t).toFixed(0)} ms, ${plan.dispatches.length} dispatches, ${plan.pipelines} pipelines`);
if (values.dump) {
  console.log(plan.dispatches.find((d) => d.site === values.dump)?.code ?? `no dispatch ${values.dump}`);
  process.exit(0);
}
const inputs = seededInputs(graph, 1);
await plan.run(inputs);
const runs = Number(values.runs);
const per = plan.dispatches.map(() => [] as number[]);
const whole: number[] = [];
for (let r = 0; r < runs; r++) {
  const { beginNs, endNs } = await timestampPasses(gpu, [(p) => plan.encode(p), ...plan.dispatches.map((_, i) => (p: GPUComputePassEncoder) => plan.encodeDispatch(i, p))]);
  whole.push(Number(endNs[0] - beginNs[0]) / 1e6);
  plan.dispatches.forEach((_, i) => per[i].push(Number(endNs[i + 1] - beginNs[i + 1]) / 1e6));
  t = performance.now();
  await plan.run(inputs);
  whole.push(-(performance.now() - t));
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`whole plan GPU ${median(whole.filter((x) => x > 0)).toFixed(2)} ms; run() wall ${median(whole.filter((x) => x < 0).map((x) => -x)).toFixed(2)} ms`);
const rows = plan.dispatches.map((d, i) => ({ d, ms: median(per[i]) })).sort((a, b) => b.ms - a.ms);
const total = rows.reduce((s, r) => s + r.ms, 0);
console.log(`sum of dispatches ${total.toFixed(2)} ms`);
for (const { d, ms } of rows.slice(0, Number(values.top))) {
  console.log(`${ms.toFixed(3).padStart(9)} ms  ${d.site.padEnd(8)} wg=${d.workgroups.join('x').padEnd(8)} ${JSON.stringify(d.schedule)} ${d.ops.join(',').slice(0, 60)}`);
}
process.exit(0);
