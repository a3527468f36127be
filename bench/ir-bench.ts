// Benchmarks of the IR, side by side in one run: for each zoo model, the time to import, resolve
// (shape inference + folding) and lower it, then to run it with the reference interpreter, the
// loop interpreter and ONNX Runtime's CPU EP on the same seeded inputs. Medians of several runs.
//
//   npx tsx bench/ir-bench.ts [--size small|full] [--runs N] [--models a,b] [--out bench/results/NAME]

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { compileProgram } from '../ir/loop/run-program.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { importOnnx, onnx } from '../ir/onnx/index.js';
import { runReference } from '../ir/reference.js';
import { resolveGraph } from '../ir/resolve.js';
import { programFlops } from '../ir/stats.js';
import { compareTensors } from '../ir/testing/compare.js';
import { bools, integers, rng, uniform } from '../ir/testing/random.js';
import type { Tensor } from '../ir/tensor.js';
import { BENCH_ONLY, ZOO, type ZooModel, type ZooSize } from './zoo/index.js';

export interface IrBenchRow {
  readonly model: string;
  /** Nodes in the ONNX file (Constant nodes included, as the exporter wrote them). */
  readonly nodes: number;
  readonly resolvedNodes: number;
  readonly kernels: number;
  readonly mflops: number;
  readonly importMs: number;
  readonly resolveMs: number;
  readonly lowerMs: number;
  /** Absent with --pipeline-only. */
  readonly run?: {
    readonly referenceMs: number;
    readonly loopMs: number;
    readonly ortCpuMs: number;
    /** Max relative error of each interpreter against ONNX Runtime. */
    readonly referenceError: number;
    readonly loopError: number;
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

async function timedAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await f();
  return [value, performance.now() - start];
}

export async function benchModel(m: ZooModel, size: ZooSize, runs: number, pipelineOnly = false): Promise<IrBenchRow> {
  const bytes = m.build(size);
  const shapes = m.inputs(size);
  const importMs: number[] = [];
  const resolveMs: number[] = [];
  const lowerMs: number[] = [];
  let raw = importOnnx(bytes);
  let graph = resolveGraph(raw, { shapes });
  let program = lowerGraph(graph);
  for (let i = 0; i < runs; i++) {
    let t: number;
    [raw, t] = timed(() => importOnnx(bytes)); importMs.push(t);
    [graph, t] = timed(() => resolveGraph(raw, { shapes })); resolveMs.push(t);
    [program, t] = timed(() => lowerGraph(graph)); lowerMs.push(t);
  }
  const pipeline = {
    model: m.name,
    nodes: onnx.ModelProto.decode(bytes).graph?.node?.length ?? 0,
    resolvedNodes: graph.nodes.length,
    kernels: program.kernels.length,
    mflops: programFlops(program) / 1e6,
    importMs: median(importMs),
    resolveMs: median(resolveMs),
    lowerMs: median(lowerMs),
  };
  if (pipelineOnly) return pipeline;

  const r = rng(`bench-${m.name}`);
  const inputs: Record<string, Tensor> = {};
  for (const name of graph.inputs) {
    const { dtype, shape } = graph.values.get(name)!;
    inputs[name] = dtype === 'float32' ? uniform(r, shape) : dtype === 'bool' ? bools(r, shape) : integers(r, shape, 0, 2, dtype);
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const feeds = Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, new ort.Tensor(t.dtype, t.data as never, [...t.shape])]));
  const compiled = compileProgram(program);

  const referenceMs: number[] = [];
  const loopMs: number[] = [];
  const ortMs: number[] = [];
  let ref = new Map<string, Tensor>();
  let loop = new Map<string, Tensor>();
  let ortOut: ort.InferenceSession.OnnxValueMapType = {};
  await session.run(feeds); // warm-up
  for (let i = 0; i < runs; i++) {
    let t: number;
    [ref, t] = timed(() => runReference(graph, inputs)); referenceMs.push(t);
    [loop, t] = timed(() => compiled.run(inputs)); loopMs.push(t);
    [ortOut, t] = await timedAsync(() => session.run(feeds)); ortMs.push(t);
  }
  await session.release();

  const errorOf = (outs: Map<string, Tensor>): number => Math.max(...graph.outputs.map((name) => {
    const o = ortOut[name];
    const expected = { dtype: o.type, shape: [...o.dims], data: o.data } as Tensor;
    return compareTensors(outs.get(name)!, expected, Infinity).maxRelError;
  }));

  return {
    ...pipeline,
    run: {
      referenceMs: median(referenceMs),
      loopMs: median(loopMs),
      ortCpuMs: median(ortMs),
      referenceError: errorOf(ref),
      loopError: errorOf(loop),
    },
  };
}

export function markdownTable(rows: readonly IrBenchRow[]): string {
  const head = ['model', 'nodes (file → resolved)', 'kernels', 'MFLOPs', 'import ms', 'resolve ms', 'lower ms', 'reference ms', 'loop ms', 'ORT CPU ms', 'max rel err (ref / loop)'];
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const run = r.run
      ? `${fmt(r.run.referenceMs)} | ${fmt(r.run.loopMs)} | ${fmt(r.run.ortCpuMs)} | ${r.run.referenceError.toExponential(1)} / ${r.run.loopError.toExponential(1)}`
      : '– | – | – | –';
    lines.push(`| ${r.model} | ${r.nodes} → ${r.resolvedNodes} | ${r.kernels} | ${fmt(r.mflops)} | ${fmt(r.importMs)} | ${fmt(r.resolveMs)} | ${fmt(r.lowerMs)} | ${run} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    size: { type: 'string', default: 'small' },
    runs: { type: 'string', default: '5' },
    models: { type: 'string' },
    out: { type: 'string' },
    'pipeline-only': { type: 'boolean', default: false },
  } });
  const size = values.size as ZooSize;
  const wanted = values.models?.split(',');
  const models = [...ZOO, ...BENCH_ONLY].filter((m) => !wanted || wanted.includes(m.name));
  const rows: IrBenchRow[] = [];
  for (const m of models) {
    process.stderr.write(`${m.name} (${size})…\n`);
    rows.push(await benchModel(m, size, Number(values.runs), values['pipeline-only']));
  }
  process.stdout.write(`${markdownTable(rows)}\n\n(ms, medians of ${values.runs} runs, ${size} sizes)\n`);
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(`${values.out}.json`, JSON.stringify({ size, runs: Number(values.runs), node: process.version, rows }, null, 2));
    writeFileSync(`${values.out}.md`, `# IR benchmark (${size} sizes, medians of ${values.runs} runs)\n\n${markdownTable(rows)}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
