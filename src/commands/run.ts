// `freight run MODEL`: runs a model on given or seeded random inputs with a chosen backend —
// webgpu (generated kernels, the default), reference or loop (the two interpreters) — and writes
// one .npy per output. The loop and webgpu backends run the program after the default fusion
// plan, so that the loop interpreter checks what the GPU runs.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FreightError } from '../../ir/errors.js';
import type { Graph } from '../../ir/graph.js';
import { fuseProgram } from '../../ir/fusion/index.js';
import { compileProgram } from '../../ir/loop/run-program.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { runReference } from '../../ir/reference.js';
import { toNumbers, type Tensor } from '../../ir/tensor.js';
import { openDevice } from '../../kernels/gpu/device.js';
import { loadModel } from '../model.js';
import { makeInputs } from '../inputs.js';
import { writeNpy } from '../npy.js';
import { planModel } from '../tuned.js';

/**
 * reference: the operator-by-operator oracle; loop: the (fused) program's maps and memlets;
 * webgpu: generated WGSL kernels under default schedules, one plan for the whole model.
 */
export type Backend = 'reference' | 'loop' | 'webgpu';

export interface RunOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  /** .npy files by input name; inputs not given are random (seeded). */
  readonly inputFiles?: Readonly<Record<string, string>>;
  readonly seed?: number;
  readonly backend?: Backend;
  /** Folder that receives one .npy per output. */
  readonly outDir?: string;
  /** webgpu: which device ('auto', 'swiftshader' or part of the adapter's name). */
  readonly device?: string;
  /** webgpu: where warnings for the user go (e.g. that SwiftShader is not a GPU). */
  readonly warn?: (message: string) => void;
  /** loop and webgpu: run the program after the default fusion plan (default true). */
  readonly fusion?: boolean;
  /** webgpu: the tuning database whose best schedules to use (default schedules without one). */
  readonly db?: string;
}

export interface RunReport {
  readonly model: string;
  readonly backend: Backend;
  readonly inputs: readonly { name: string; dtype: string; shape: readonly number[]; source: string }[];
  readonly outputs: readonly { name: string; dtype: string; shape: readonly number[]; min: number; max: number; mean: number; file?: string }[];
  readonly runMs: number;
}

/** Runs a model on any backend (webgpu by default); `runMs` excludes compiling the plan. */
export async function runModel(path: string, options: RunOptions = {}): Promise<{ report: RunReport; outputs: Map<string, Tensor> }> {
  const { graph, inputs } = prepare(path, options);
  const execute = await compileBackend(graph, options);
  const start = performance.now();
  const outputs = await execute(inputs);
  return finish(path, graph, inputs, outputs, performance.now() - start, options);
}

type Execute = (inputs: Readonly<Record<string, Tensor>>) => Map<string, Tensor> | Promise<Map<string, Tensor>>;

async function compileBackend(graph: Graph, options: RunOptions): Promise<Execute> {
  switch (options.backend ?? 'webgpu') {
    case 'reference': return (inputs) => runReference(graph, inputs);
    case 'loop': {
      const lowered = lowerGraph(graph);
      return compileProgram(options.fusion === false ? lowered : fuseProgram(lowered).program).run;
    }
    case 'webgpu': {
      const gpu = await openDevice({ device: options.device, warn: options.warn });
      const { plan } = await planModel(lowerGraph(graph), gpu, { db: options.db, warn: options.warn, fusion: options.fusion });
      return (inputs) => plan.run(inputs);
    }
  }
}

function prepare(path: string, options: RunOptions): { graph: Graph; inputs: Record<string, Tensor> } {
  const { graph } = loadModel(path, { shapes: options.shapes });
  const files = options.inputFiles ?? {};
  for (const name of Object.keys(files)) {
    if (!graph.inputs.includes(name)) {
      throw new FreightError(`--input names '${name}', which is not an input of the model (inputs: ${graph.inputs.join(', ') || 'none'})`);
    }
  }
  return { graph, inputs: makeInputs(graph, files, options.seed ?? 0) };
}

function finish(path: string, graph: Graph, inputs: Record<string, Tensor>, outputs: Map<string, Tensor>, runMs: number, options: RunOptions): { report: RunReport; outputs: Map<string, Tensor> } {
  const files = options.inputFiles ?? {};
  if (options.outDir) mkdirSync(options.outDir, { recursive: true });
  const report: RunReport = {
    model: path,
    backend: options.backend ?? 'webgpu',
    inputs: graph.inputs.map((name) => ({
      name, dtype: inputs[name].dtype, shape: inputs[name].shape, source: files[name] ?? `random (seed ${options.seed ?? 0})`,
    })),
    outputs: [...outputs].map(([name, t]) => {
      const file = options.outDir ? join(options.outDir, `${safeFileName(name)}.npy`) : undefined;
      if (file) writeFileSync(file, writeNpy(t));
      return { name, dtype: t.dtype, shape: t.shape, ...summary(t), ...(file ? { file } : {}) };
    }),
    runMs,
  };
  return { report, outputs };
}

/** Output file names: characters outside [A-Za-z0-9._-] become '_'. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function summary(t: Tensor): { min: number; max: number; mean: number } {
  const xs = toNumbers(t);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of xs) { min = Math.min(min, x); max = Math.max(max, x); sum += x; }
  return xs.length ? { min, max, mean: sum / xs.length } : { min: NaN, max: NaN, mean: NaN };
}
