// `freight compile MODEL [--shape ...] [--db FILE] --out DIR [--json]`: the whole-model WebGPU plan
// with the best schedules of the tuning database, written out: `plan.json` (each dispatch's site,
// the graph nodes it computes, its schedule, workgroup grid and WGSL file) and one `.wgsl` file per
// distinct pipeline. Reports how many kernels the database had a schedule for (cache hits).
// Compiling asks the adapter for its identity and limits but opens no device and builds no
// pipeline (kernels/plan/plan-dispatches.ts): a second compile of a tuned model costs loading,
// fusing and generating code only. A dispatch under uniform parameters lists its uniform words.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openAdapter } from '../../kernels/gpu/device.js';
import { planProgram } from '../../kernels/plan/compile-plan.js';
import { planDispatches } from '../../kernels/plan/plan-dispatches.js';
import { resolveSchedule } from '../../kernels/schedule.js';
import { targetOf } from '../../kernels/target.js';
import { defaultDbPath } from '../../tuning-db/index.js';
import { loadModel, lowerModel } from '../model.js';
import { shapeOption } from '../options.js';
import { tunedFromDb } from '../tuned.js';

export interface CompileReport {
  readonly model: string;
  readonly device: string;
  readonly db: string;
  readonly kernels: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly dispatches: number;
  readonly pipelines: number;
  readonly compileMs: number;
  readonly out: string;
}

export interface CompileOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  readonly db: string;
  readonly out: string;
  readonly device?: string;
  readonly warn?: (message: string) => void;
}

export async function compileModel(path: string, options: CompileOptions): Promise<CompileReport> {
  const start = performance.now();
  const lowered = lowerModel(loadModel(path, { shapes: options.shapes }));
  const gpu = await openAdapter({ device: options.device, warn: options.warn });
  const program = planProgram(lowered, gpu.limits);
  const tuned = await tunedFromDb(program, gpu, options.db, options.warn);
  const plan = planDispatches(program, resolveSchedule(program, tuned.schedule, targetOf(gpu)), gpu.limits);
  const compileMs = performance.now() - start;
  mkdirSync(options.out, { recursive: true });
  const files = new Map<string, string>();
  for (const d of plan.dispatches) {
    if (files.has(d.code)) continue;
    const file = `${createHash('sha256').update(d.code).digest('hex').slice(0, 16)}.wgsl`;
    files.set(d.code, file);
    writeFileSync(join(options.out, file), d.code);
  }
  const dispatches = plan.dispatches.map((d, i) => {
    const uniforms = plan.generated[i].uniforms;
    return { site: d.site, ops: d.ops, schedule: d.schedule, workgroups: d.workgroups, wgsl: files.get(d.code), ...(uniforms ? { uniforms: [...uniforms] } : {}) };
  });
  writeFileSync(join(options.out, 'plan.json'), `${JSON.stringify({ model: path, shapes: options.shapes ?? {}, device: gpu.fingerprint, dispatches }, null, 2)}\n`);
  return {
    model: path,
    device: gpu.name,
    db: options.db,
    kernels: tuned.hits.length + tuned.misses.length,
    cacheHits: tuned.hits.length,
    cacheMisses: tuned.misses.length,
    dispatches: plan.dispatches.length,
    pipelines: plan.pipelines,
    compileMs,
    out: options.out,
  };
}

export function registerCompileCommand(program: Command): void {
  program.command('compile')
    .description('write the WebGPU plan of a model (its WGSL and schedules) with the best schedules of the tuning database')
    .argument('<MODEL>', 'an .onnx file')
    .addOption(shapeOption())
    .option('--db <FILE>', 'tuning database (default: $FREIGHT_DB, else the user cache folder)')
    .requiredOption('--out <DIR>', 'folder for plan.json and the .wgsl files')
    .option('--device <NAME>', "'auto', 'swiftshader' or part of the adapter's name", 'auto')
    .option('--json', 'print JSON to stdout')
    .action(async (model: string, opts: { shape: Record<string, number[]>; db?: string; out: string; device: string; json?: boolean }) => {
      const warn = (m: string): void => { process.stderr.write(`freight: warning: ${m}\n`); };
      const r = await compileModel(model, { shapes: opts.shape, db: opts.db ?? defaultDbPath(process.env), out: opts.out, device: opts.device, warn });
      process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n`
        : `${r.kernels} kernels, ${r.cacheHits} tuned schedules from ${r.db} (${r.cacheMisses} default), ${r.dispatches} dispatches on ${r.pipelines} pipelines, compiled in ${r.compileMs.toFixed(0)} ms; written to ${r.out}\n`);
    });
}
