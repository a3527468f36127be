// Benchmark report of the wild models, printed as a markdown table: per model, nodes as imported
// and after folding, kernels, MFLOPs, the run time of freight's reference and loop interpreters and
// of ONNX Runtime (CPU), and the largest relative error of each backend against ORT. It goes
// through freight's public API, as a program embedding freight would.
//
//   npx tsx bench/wild/report.ts [--models a,b] [--max-reference-mflops 1000] [--out bench/results/wild]
//
// The reference interpreter is an oracle, not a fast path: on models above the MFLOPs limit it is
// skipped unless the limit is raised.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compareTensors } from '../../ir/testing/compare.js';
import type { Tensor } from '../../ir/tensor.js';
import { inspectModel, runModel } from '../../src/index.js';
import { fetchModel } from './fetch.js';
import { WILD_MODELS, type Backend, type WildModel } from './models.js';
import { runOrt, type OrtResult } from '../../ir/testing/ort.js';
import { wildInputs, writeInputs } from './wild-inputs.js';

export type BackendResult = { readonly runMs: number; readonly maxRelError: number } | { readonly skipped: string };

export interface WildRow {
  readonly model: WildModel;
  readonly nodes?: number;
  readonly foldedNodes?: number;
  readonly kernels?: number;
  readonly mflops?: number;
  readonly ortMs?: number;
  /** Per backend: run time and max relative error against ORT, or why there is none. */
  readonly backends: Readonly<Partial<Record<Backend, BackendResult>>>;
  /** Why the model could not be measured, when it could not. */
  readonly error?: string;
}

export async function measureModel(m: WildModel, maxReferenceMflops: number): Promise<WildRow> {
  const path = await fetchModel(m);
  const shapes = Object.fromEntries(Object.entries(m.inputs).map(([name, i]) => [name, i.shape]));
  const { report } = inspectModel(path, { shapes });
  const { resolved } = report;
  const base = { model: m, nodes: report.nodes, foldedNodes: resolved?.nodes, kernels: resolved?.kernels, mflops: resolved && resolved.flops / 1e6 };
  if (!resolved) {
    const error = report.unsupported.length ? `unsupported: ${report.unsupported.map((u) => u.op).join(', ')}` : report.note;
    return { ...base, backends: {}, error };
  }

  const inputs = wildInputs(m);
  const ort = await runOrt(path, inputs);
  const dir = mkdtempSync(join(tmpdir(), `freight-wild-report-${m.name}-`));
  try {
    const inputFiles = writeInputs(inputs, dir);
    const backends: Partial<Record<Backend, BackendResult>> = {};
    for (const backend of ['reference', 'loop'] as const) { // webgpu: `freight bench`
      if (backend === 'reference' && resolved.flops / 1e6 > maxReferenceMflops) {
        backends[backend] = { skipped: `> ${maxReferenceMflops} MFLOPs` };
        continue;
      }
      try {
        const { report: run, outputs } = await runModel(path, { shapes, inputFiles, backend });
        backends[backend] = { runMs: run.runMs, maxRelError: maxRelError(m, outputs, ort) };
      } catch (e) {
        backends[backend] = { skipped: `failed: ${(e as Error).message}` };
      }
    }
    return { ...base, ortMs: ort.runMs, backends };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Over the outputs that can be compared with ORT's (see WildModel.uncomparable). */
function maxRelError(m: WildModel, outputs: ReadonlyMap<string, Tensor>, ort: OrtResult): number {
  let worst = 0;
  for (const [name, expected] of ort.outputs) {
    if (m.uncomparable?.[name]) continue;
    const actual = outputs.get(name);
    worst = Math.max(worst, actual ? compareTensors(actual, expected, Infinity).maxRelError : Infinity);
  }
  return worst;
}

const ms = (x: number | undefined): string => (x === undefined ? '' : x < 10 ? x.toFixed(1) : x.toFixed(0));

function cells(r: WildRow, b: Backend): [string, string] {
  const v = r.backends[b];
  if (!v) return ['', ''];
  return 'skipped' in v ? [v.skipped, ''] : [ms(v.runMs), v.maxRelError.toExponential(1)];
}

const note = (m: WildModel): string => Object.keys(m.uncomparable ?? {}).map((o) => `'${o}' not compared`).join('; ');

export function markdownTable(rows: readonly WildRow[]): string {
  const head = ['model', 'exporter', 'opset', 'inputs', 'nodes imported', 'after folding', 'kernels', 'MFLOPs', 'reference ms', 'loop ms', 'ORT ms', 'max rel err ref', 'max rel err loop', 'note'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const [refMs, refErr] = cells(r, 'reference');
    const [loopMs, loopErr] = cells(r, 'loop');
    const shapes = Object.entries(r.model.inputs).map(([n, i]) => `${n} [${i.shape.join(',')}]`).join(', ');
    const row = [r.model.name, r.model.exporter, String(r.model.opset), shapes, String(r.nodes ?? ''), String(r.foldedNodes ?? ''),
      String(r.kernels ?? ''), r.mflops === undefined ? '' : r.mflops.toFixed(1), refMs, loopMs, ms(r.ortMs), refErr, loopErr, r.error ?? note(r.model)];
    lines.push(`| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    models: { type: 'string' },
    'max-reference-mflops': { type: 'string', default: '1000' },
    out: { type: 'string' },
  } });
  const names = values.models?.split(',');
  const chosen = WILD_MODELS.filter((m) => !names || names.includes(m.name));
  const rows: WildRow[] = [];
  for (const m of chosen) {
    process.stderr.write(`${m.name} …\n`);
    try {
      rows.push(await measureModel(m, Number(values['max-reference-mflops'])));
    } catch (e) {
      rows.push({ model: m, backends: {}, error: (e as Error).message.split('\n')[0] });
    }
  }
  const table = markdownTable(rows);
  process.stdout.write(`${table}\n`);
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(`${values.out}.md`, `# Real exported models: freight's interpreters against ONNX Runtime (CPU)\n\n${table}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
