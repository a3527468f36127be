// What tuning works on: one task per distinct workload of the model's fused program (kernels with
// the same canonical computation share a task and its best schedule), each with a program of its
// kernel alone, inputs for it and the loop interpreter's outputs to verify candidates against.

import { workloadKey, workloadSummary } from '../ir/canonical.js';
import { runProgram } from '../ir/loop/run-program.js';
import { storageOf, type Buffer, type Kernel, type Program } from '../ir/program.js';
import { rng, uniform } from '../ir/testing/random.js';
import { tensorOf, sizeOf, type Tensor } from '../ir/tensor.js';

export interface TuningTask {
  readonly key: string;
  readonly summary: unknown;
  /** The first kernel of the workload, and how many kernels of the model share it. */
  readonly kernel: Kernel;
  readonly instances: number;
  /** The kernel alone: what it reads are inputs (constants stay constants), what it writes outputs. */
  readonly program: Program;
  readonly inputs: Readonly<Record<string, Tensor>>;
  /** The loop interpreter's outputs on `inputs`: every candidate must reproduce them. */
  readonly expected: ReadonlyMap<string, Tensor>;
}

export function tuningTasks(fused: Program, seed = 0): TuningTask[] {
  const byKey = new Map<string, { kernel: Kernel; instances: number }>();
  for (const k of fused.kernels) {
    const key = workloadKey(fused, k);
    const entry = byKey.get(key);
    if (entry) byKey.set(key, { ...entry, instances: entry.instances + 1 });
    else byKey.set(key, { kernel: k, instances: 1 });
  }
  return [...byKey].map(([key, { kernel, instances }]) => {
    const program = kernelProgram(fused, kernel);
    const inputs = taskInputs(program, `${seed}:${key}`);
    return { key, summary: workloadSummary(fused, kernel), kernel, instances, program, inputs, expected: runProgram(program, inputs) };
  });
}

/** Kernel `k` of `p` as a program of its own. */
export function kernelProgram(p: Program, k: Kernel): Program {
  const used = new Set<string>();
  const written = new Set<string>();
  for (const m of k.maps) {
    for (const r of m.reads) used.add(r.buffer);
    used.add(m.write.buffer);
    written.add(storageOf(p, m.write.buffer).name);
  }
  const buffers = new Map<string, Buffer>();
  for (const name of used) {
    // A buffer and every buffer it aliases, up to its storage.
    for (let b: Buffer | undefined = p.buffers.get(name); b; b = b.aliasOf ? p.buffers.get(b.aliasOf) : undefined) buffers.set(b.name, b);
  }
  const roots = [...buffers.values()].filter((b) => !b.aliasOf);
  const kindOf = (b: Buffer): Buffer['kind'] =>
    written.has(b.name) ? (b.kind === 'transient' ? 'transient' : 'output') : p.constants.has(b.name) ? 'constant' : 'input';
  for (const b of roots) buffers.set(b.name, { ...b, kind: kindOf(b) });
  const constants = new Map([...p.constants].filter(([name]) => buffers.has(name)));
  return {
    buffers,
    constants,
    inputs: roots.filter((b) => kindOf(b) === 'input').map((b) => b.name),
    outputs: roots.filter((b) => kindOf(b) === 'output').map((b) => ({ name: b.name, buffer: b.name })),
    kernels: [k],
  };
}

/**
 * Inputs for a task: floats in [0.5, 1.5) (no domain errors for log or sqrt, no NaN the GPU may
 * propagate differently), integers and booleans zero (an index every gather accepts).
 */
function taskInputs(p: Program, seed: string): Record<string, Tensor> {
  const r = rng(seed);
  const out: Record<string, Tensor> = {};
  for (const name of p.inputs) {
    const b = p.buffers.get(name)!;
    out[name] = b.dtype === 'float32' ? uniform(r, b.shape, 0.5, 1.5) : tensorOf(b.dtype, b.shape, new Array<number>(sizeOf(b.shape)).fill(0));
  }
  return out;
}
