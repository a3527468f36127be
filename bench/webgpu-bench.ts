// freight against ONNX Runtime on WebGPU, over the zoo: for each model, `freight bench`'s four
// systems (freight, freight-untuned, ort-webgpu, ort-cpu) timed in one process on the same seeded
// inputs, through the public API (src/commands/bench.ts) as a user would. Writes
// bench/results/<device>.{md,json}: a table per model and the geometric mean over the models of
// freight-untuned / ort-webgpu (median wall-clock time; < 1: freight is faster; target ≤ 0.7).
//
//   npx tsx bench/webgpu-bench.ts [--size small|full] [--runs N] [--models a,b] [--device auto|NAME] [--out DIR]

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchModel, fmtMs, type BenchReport } from '../src/commands/bench.js';
import { openDevice } from '../kernels/gpu/device.js';
import { ZOO, type ZooSize } from './zoo/index.js';

export interface ZooBenchEntry {
  readonly model: string;
  /** Present when the model benched; else `error` says why it did not. */
  readonly report?: BenchReport;
  readonly error?: string;
}

export interface ZooBenchOptions {
  readonly size: ZooSize;
  readonly runs: number;
  readonly models?: readonly string[];
  readonly device?: string;
  readonly log?: (line: string) => void;
}

/** Benches each zoo model in turn; a model freight cannot run is recorded, not fatal. */
export async function benchZoo(options: ZooBenchOptions): Promise<ZooBenchEntry[]> {
  const gpu = await openDevice({ device: options.device, warn: options.log });
  const dir = mkdtempSync(join(tmpdir(), 'freight-webgpu-bench-'));
  const entries: ZooBenchEntry[] = [];
  for (const m of ZOO.filter((z) => !options.models || options.models.includes(z.name))) {
    options.log?.(`${m.name} (${options.size})…`);
    const path = join(dir, `${m.name}.onnx`);
    writeFileSync(path, m.build(options.size));
    try {
      const report = await benchModel(path, { shapes: m.inputs(options.size), runs: options.runs, gpu, warn: options.log });
      entries.push({ model: m.name, report: { ...report, model: m.name } });
    } catch (e) {
      options.log?.(`  ${m.name}: ${(e as Error).message}`);
      entries.push({ model: m.name, error: (e as Error).message });
    }
  }
  return entries;
}

/** freight-untuned's median over ort-webgpu's, per benched model. */
export function untunedRatios(entries: readonly ZooBenchEntry[]): { model: string; ratio: number }[] {
  const ratios: { model: string; ratio: number }[] = [];
  for (const e of entries) {
    const ms = (name: string): number | undefined => e.report?.systems.find((s) => s.name === name)?.medianMs;
    const freight = ms('freight-untuned');
    const ort = ms('ort-webgpu');
    if (freight !== undefined && ort !== undefined) ratios.push({ model: e.model, ratio: freight / ort });
  }
  return ratios;
}

export function geometricMean(xs: readonly number[]): number {
  return xs.length ? Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length) : NaN;
}

/** A file-system-safe name for the adapter: `swiftshader`, `nvidia-hopper`, … */
export function deviceSlug(device: BenchReport['device']): string {
  const words = device.architecture === 'swiftshader' ? 'swiftshader' : [device.vendor, device.architecture].filter(Boolean).join('-') || device.description;
  return words.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'unknown-device';
}

export function markdownReport(entries: readonly ZooBenchEntry[], size: ZooSize, runs: number): string {
  const device = entries.find((e) => e.report)?.report?.device;
  const ratios = untunedRatios(entries);
  const lines = [
    `# freight vs ONNX Runtime on WebGPU (${size} zoo, medians of ${runs} runs)`,
    '',
    device ? `Device: ${device.description || device.vendor} (${device.vendor} ${device.architecture}, ${device.backend}).` : 'No model benched.',
    'Times are wall clock per run: inputs uploaded, every dispatch, outputs read back (ORT: `session.run`, which includes its readback).',
    '`freight` uses schedules from a tuning database when one is given; without one it runs the default schedules, like `freight-untuned`.',
    device?.backend.includes('swiftshader') ? 'SwiftShader is a CPU implementation of Vulkan: its timings are relative comparisons, not a GPU\'s.' : '',
    '',
    `**Geometric mean of freight-untuned / ort-webgpu: ${geometricMean(ratios.map((r) => r.ratio)).toFixed(3)}** over ${ratios.length} model(s) (< 1: freight faster; target ≤ 0.7).`,
    '',
    '| model | freight-untuned / ort-webgpu |',
    '|---|---|',
    ...ratios.map((r) => `| ${r.model} | ${r.ratio.toFixed(3)} |`),
    '',
  ];
  for (const e of entries) {
    lines.push(`## ${e.model}`, '');
    if (!e.report) {
      lines.push(`Not benched: ${e.error}`, '');
      continue;
    }
    const base = e.report.systems.find((s) => s.name === 'ort-webgpu')?.medianMs;
    const shapes = Object.entries(e.report.shapes).map(([n, s]) => `${n}=${s.join(',')}`).join(' ');
    lines.push(`Shapes: ${shapes}`, '', '| system | median ms | min ms | max ms | runs | speed-up vs ort-webgpu | max rel err vs ort-cpu |', '|---|---|---|---|---|---|---|');
    for (const s of e.report.systems) {
      const speedup = base ? `${(base / s.medianMs).toFixed(2)}×` : '–';
      const err = s.maxRelError === undefined ? 'reference' : s.maxRelError.toExponential(1);
      lines.push(`| ${s.name} | ${fmtMs(s.medianMs)} | ${fmtMs(s.minMs)} | ${fmtMs(s.maxMs)} | ${s.runs} | ${speedup} | ${err} |`);
    }
    lines.push('');
  }
  return lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    size: { type: 'string', default: 'small' },
    runs: { type: 'string', default: '7' },
    models: { type: 'string' },
    device: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'bench/results' },
  } });
  if (values.size !== 'small' && values.size !== 'full') throw new Error(`--size must be small or full, got '${values.size}'`);
  const size: ZooSize = values.size;
  const runs = Number(values.runs);
  const log = (line: string): void => { process.stderr.write(`${line}\n`); };
  const entries = await benchZoo({ size, runs, models: values.models?.split(','), device: values.device, log });
  const markdown = markdownReport(entries, size, runs);
  process.stdout.write(`${markdown}\n`);
  const device = entries.find((e) => e.report)?.report?.device;
  if (!device) return;
  // Full-size results get their own files so that they do not overwrite the default small run.
  const name = `${deviceSlug(device)}${size === 'full' ? '-full' : ''}`;
  mkdirSync(values.out, { recursive: true });
  const geomean = geometricMean(untunedRatios(entries).map((r) => r.ratio));
  writeFileSync(join(values.out, `${name}.json`), `${JSON.stringify({ size, runs, node: process.version, device, untunedOverOrtWebgpuGeomean: geomean, models: entries }, null, 2)}\n`);
  writeFileSync(join(values.out, `${name}.md`), `${markdown}\n`);
  log(`wrote ${join(values.out, name)}.{md,json}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
