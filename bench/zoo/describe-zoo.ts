// Describes the zoo: per model its inputs, file size, node count and operator histogram as written
// and after freight resolves it, and with --run the time ONNX Runtime, the reference interpreter
// and the loop interpreter take (wall and CPU time: the interpreters are single-threaded, so their
// CPU time is what they would take on an idle machine) and how far each is from ONNX Runtime.
// Run: npx tsx bench/zoo/describe-zoo.ts [--size small|full] [--run] [--json] [NAME...]

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onnx } from '../../ir/onnx/index.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { runProgram } from '../../ir/loop/run-program.js';
import { runReference } from '../../ir/reference.js';
import { compareTensors } from '../../ir/testing/compare.js';
import type { Tensor } from '../../ir/tensor.js';
import { loadModel } from '../../src/model.js';
import { ZOO } from './index.js';
import { runOrt } from '../../ir/testing/ort.js';
import { zooInputs } from './zoo-inputs.js';
import type { ZooModel, ZooSize } from './zoo-model.js';

export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface ZooDescription {
  readonly name: string;
  readonly size: ZooSize;
  readonly inputs: Record<string, number[]>;
  readonly fileBytes: number;
  readonly nodes: number;
  readonly ops: Record<string, number>;
  /** After binding shapes, folding constants and dropping dead nodes. */
  readonly resolvedNodes: number;
  readonly resolvedOps: Record<string, number>;
  readonly times?: { readonly ort: Timing; readonly reference: Timing; readonly lower: Timing; readonly loop: Timing };
  /** Largest maxRelError (ir/testing/compare) over the outputs, against ONNX Runtime. */
  readonly errors?: { readonly reference: number; readonly loop: number };
}

function maxRelError(actual: ReadonlyMap<string, Tensor>, expected: ReadonlyMap<string, Tensor>): number {
  let worst = 0;
  for (const [name, want] of expected) {
    const got = actual.get(name);
    worst = Math.max(worst, got ? compareTensors(got, want, Infinity).maxRelError : Infinity);
  }
  return worst;
}

function histogram(ops: readonly string[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const op of ops) h[op] = (h[op] ?? 0) + 1;
  return Object.fromEntries(Object.entries(h).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

async function time<T>(f: () => T | Promise<T>): Promise<{ result: T; timing: Timing }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await f();
  const used = process.cpuUsage(cpu);
  return { result, timing: { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 } };
}

export async function describeModel(model: ZooModel, size: ZooSize, run: boolean, dir: string): Promise<ZooDescription> {
  const bytes = model.build(size);
  const shapes = model.inputs(size);
  const file = path.join(dir, `${model.name}-${size}.onnx`);
  fs.writeFileSync(file, bytes);
  // As written, Constant nodes included (the importer turns them into initializers).
  const written = (onnx.ModelProto.decode(bytes).graph?.node ?? []).map((n) => n.opType ?? '');
  const { graph } = loadModel(file, { shapes });
  const description: ZooDescription = {
    name: model.name,
    size,
    inputs: shapes,
    fileBytes: bytes.length,
    nodes: written.length,
    ops: histogram(written),
    resolvedNodes: graph.nodes.length,
    resolvedOps: histogram(graph.nodes.map((n) => n.op)),
  };
  if (!run) return description;
  const inputs = zooInputs(bytes, shapes);
  const ort = await time(() => runOrt(bytes, inputs));
  const reference = await time(() => runReference(graph, inputs));
  const lower = await time(() => lowerGraph(graph));
  const loop = await time(() => runProgram(lower.result, inputs));
  return {
    ...description,
    times: { ort: ort.timing, reference: reference.timing, lower: lower.timing, loop: loop.timing },
    errors: { reference: maxRelError(reference.result, ort.result.outputs), loop: maxRelError(loop.result, ort.result.outputs) },
  };
}

function format(d: ZooDescription): string {
  const ops = (h: Record<string, number>): string => Object.entries(h).map(([op, n]) => `${op} ${n}`).join(', ');
  const inputs = Object.entries(d.inputs).map(([name, s]) => `${name} [${s.join(', ')}]`).join(', ');
  const lines = [
    `${d.name} (${d.size}): ${inputs}; ${(d.fileBytes / 1024).toFixed(0)} KiB`,
    `  ${d.nodes} nodes: ${ops(d.ops)}`,
    `  resolved ${d.resolvedNodes} nodes: ${ops(d.resolvedOps)}`,
  ];
  if (d.times) {
    const t = (x: Timing): string => `${x.wallMs.toFixed(0)} ms (cpu ${x.cpuMs.toFixed(0)} ms)`;
    lines.push(`  ort ${t(d.times.ort)}, reference ${t(d.times.reference)}, lower ${t(d.times.lower)}, loop ${t(d.times.loop)}`);
  }
  if (d.errors) {
    lines.push(`  maxRelError vs ort: reference ${d.errors.reference.toExponential(2)}, loop ${d.errors.loop.toExponential(2)}`);
  }
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const size: ZooSize = argv.includes('--size') && argv[argv.indexOf('--size') + 1] === 'full' ? 'full' : 'small';
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--size');
  const models = names.length > 0 ? ZOO.filter((m) => names.includes(m.name)) : ZOO;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freight-zoo-'));
  try {
    const out: ZooDescription[] = [];
    for (const m of models) {
      const d = await describeModel(m, size, argv.includes('--run'), dir);
      out.push(d);
      if (!argv.includes('--json')) process.stdout.write(`${format(d)}\n`);
    }
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
