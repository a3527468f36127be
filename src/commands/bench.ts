// `freight bench MODEL`: freight against ONNX Runtime on the same device, in one process and one
// run, on the same seeded inputs. Four systems: `freight` (schedules from the tuning database when
// one is given, else the defaults), `freight-untuned` (default schedules), `ort-webgpu` (ONNX
// Runtime's WebGPU EP on its own Dawn, same adapter kind) and `ort-cpu`. freight's outputs are
// verified against ORT CPU before anything is timed. Every system is timed end to end by the wall
// clock — upload inputs, run, read the outputs back — because that is what `session.run` costs ORT.

import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import type Ort from 'onnxruntime-node';
import { FreightError } from '../../ir/errors.js';
import { compareTensors } from '../../ir/testing/compare.js';
import type { DType, Tensor } from '../../ir/tensor.js';
import { openDevice, SWIFTSHADER_ICD, type GpuDevice } from '../../kernels/gpu/device.js';
import { timeGpu } from '../../kernels/gpu/timer.js';
import type { Plan } from '../../kernels/plan/compile-plan.js';
import { seededInputs } from '../inputs.js';
import { planModel, recordBench } from '../tuned.js';
import { loadModel, lowerModel, type LoadedModel } from '../model.js';
import { positiveInteger, shapeOption } from '../options.js';

export const SYSTEMS = ['freight', 'freight-untuned', 'ort-webgpu', 'ort-cpu'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface SystemTiming {
  readonly name: SystemName;
  /** Wall clock per run: inputs uploaded, all work done, outputs read back. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
  /** GPU time alone (timestamp queries), where the system can measure it. */
  readonly gpuMedianMs?: number;
  /** Max relative error of the outputs against ort-cpu (absent for ort-cpu itself). */
  readonly maxRelError?: number;
  /** Where the schedules came from, and similar facts a reader needs. */
  readonly note?: string;
}

export interface BenchReport {
  readonly model: string;
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly device: { readonly vendor: string; readonly architecture: string; readonly description: string; readonly backend: string };
  readonly systems: readonly SystemTiming[];
}

export interface BenchOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  /** Tuning database for `freight`; without one it runs the default schedules. */
  readonly db?: string;
  /** Timed runs per system (the issue asks for at least 7). */
  readonly runs?: number;
  /** Untimed runs per system after the verifying run. */
  readonly warmup?: number;
  readonly seed?: number;
  /** --device: 'auto' or a name, as for openDevice. */
  readonly device?: string;
  readonly warn?: (message: string) => void;
  /** An already opened device (several benches in one process); else one is opened. */
  readonly gpu?: GpuDevice;
}

/** A system under test, ready to run on the bench inputs. */
export interface BenchSystem {
  readonly name: SystemName;
  /** `verify`: the run whose outputs are checked (freight poisons its buffers first). */
  run(options?: { readonly verify?: boolean }): Promise<Map<string, Tensor>>;
  /** GPU-only milliseconds of `runs` runs, where the system can time them. */
  gpuTimes?(runs: number): Promise<readonly number[]>;
  readonly note?: string;
  release?(): Promise<void>;
}

export async function benchModel(path: string, options: BenchOptions = {}): Promise<BenchReport> {
  const runs = options.runs ?? 7;
  const shapes = options.shapes ?? {};
  // freight loads the model first: unsupported operators or unbound shapes are its errors.
  const model = loadModel(path, { shapes });
  const inputs = seededInputs(model.graph, options.seed ?? 0);
  const gpu = options.gpu ?? await openDevice({ device: options.device, warn: options.warn });
  const ort = await loadOrt();
  const systems: BenchSystem[] = [];
  try {
    systems.push(...await freightSystems(model, gpu, inputs, options.db, options.warn));
    // ORT's Dawn reads the Vulkan driver from the environment when its session is created: pointed
    // at SwiftShader when freight runs there, both run on the same adapter kind.
    systems.push(await ortSystem(ort, 'ort-webgpu', path, inputs, gpu.kind === 'swiftshader' ? SWIFTSHADER_ICD : undefined));
    systems.push(await ortSystem(ort, 'ort-cpu', path, inputs));
    const report: BenchReport = {
      model: path,
      shapes,
      device: { vendor: gpu.info.vendor, architecture: gpu.info.architecture, description: gpu.info.description, backend: backendName(gpu) },
      systems: await timeSystems(systems, model.graph.outputs, runs, options.warmup ?? 2),
    };
    // The leaderboard shows the last bench of each model and device.
    if (options.db) await recordBench(options.db, path, shapes, gpu, report.systems);
    return report;
  } finally {
    for (const s of systems) await s.release?.();
  }
}

/**
 * freight's two systems on the whole-model WebGPU plan (buffers allocated once, one command buffer,
 * one readback): `freight` with the tuned schedules of the database when one is given,
 * `freight-untuned` with the default schedules. Without a database the two share one plan.
 */
export async function freightSystems(model: LoadedModel, gpu: GpuDevice, inputs: Readonly<Record<string, Tensor>>, db?: string, warn?: (message: string) => void): Promise<BenchSystem[]> {
  const lowered = lowerModel(model);
  const untuned = await planModel(lowered, gpu);
  const tuned = db ? await planModel(lowered, gpu, { db, warn }) : untuned;
  const system = (name: SystemName, plan: Plan, note: string): BenchSystem => {
    return {
      name,
      note,
      // The verifying run poisons outputs and intermediates first, so unwritten elements show.
      run: ({ verify = false } = {}) => plan.run(inputs, { poison: verify }),
      // GPU-only time: the plan's dispatches as one timed pass.
      ...(gpu.timestamps ? {
        gpuTimes: async (runs: number) => (await timeGpu(gpu, (pass) => plan.encode(pass), { warmupRuns: 1, minRuns: runs, maxRuns: runs })).runsMs,
      } : {}),
    };
  };
  const counts = (p: Plan): string => `${p.dispatches.length} dispatches, ${p.pipelines} pipelines`;
  const tunedNote = tuned.tuned
    ? `tuned schedules for ${tuned.tuned.hits.length} of ${tuned.program.kernels.length} kernels from ${db}, ${counts(tuned.plan)}`
    : 'default schedules (no tuning database given)';
  return [
    system('freight', tuned.plan, tunedNote),
    system('freight-untuned', untuned.plan, `default schedules, ${counts(untuned.plan)}`),
  ];
}

/** Verifies every system against ort-cpu, warms up, then times the systems in turn, run by run. */
export async function timeSystems(systems: readonly BenchSystem[], outputs: readonly string[], runs: number, warmup: number): Promise<SystemTiming[]> {
  const reference = systems.find((s) => s.name === 'ort-cpu');
  if (!reference) throw new Error('ort-cpu is the reference and must be benched');
  const expected = await reference.run();
  const errors = new Map<SystemName, number>();
  for (const s of systems) {
    if (s === reference) continue;
    const actual = await s.run({ verify: true });
    let worst = 0;
    for (const name of outputs) {
      const got = actual.get(name);
      if (!got) throw new FreightError(`${s.name} produced no output '${name}'`);
      const c = compareTensors(got, expected.get(name)!, 1e-4);
      // ORT's WebGPU EP is not ours to fix: its error is reported, freight's is refused.
      if (!c.ok && s.name.startsWith('freight')) {
        throw new FreightError(`${s.name}: output '${name}' differs from ONNX Runtime (CPU): ${c.detail}`);
      }
      worst = Math.max(worst, c.maxRelError);
    }
    errors.set(s.name, worst);
  }
  for (let i = 0; i < warmup; i++) for (const s of systems) await s.run();
  // Interleaved so that slow drifts of the machine (thermal, other load) hit every system alike.
  const times = new Map<SystemName, number[]>(systems.map((s) => [s.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const s of systems) {
      const start = performance.now();
      await s.run();
      times.get(s.name)!.push(performance.now() - start);
    }
  }
  const timings: SystemTiming[] = [];
  for (const s of systems) {
    const gpuMs = s.gpuTimes ? await s.gpuTimes(runs) : undefined;
    timings.push({
      name: s.name,
      ...stats(times.get(s.name)!),
      ...(gpuMs ? { gpuMedianMs: stats(gpuMs).medianMs } : {}),
      ...(errors.has(s.name) ? { maxRelError: errors.get(s.name) } : {}),
      ...(s.note ? { note: s.note } : {}),
    });
  }
  return timings;
}

export function stats(ms: readonly number[]): { medianMs: number; minMs: number; maxMs: number; runs: number } {
  const s = [...ms].sort((a, b) => a - b);
  const n = s.length;
  const medianMs = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { medianMs, minMs: s[0], maxMs: s[n - 1], runs: n };
}

type OrtModule = typeof Ort;

async function loadOrt(): Promise<OrtModule> {
  try {
    // A CommonJS module: Node puts it on `default`, while tsx's interop may hand over the exports.
    const mod = (await import('onnxruntime-node')) as unknown as { default?: OrtModule } & OrtModule;
    return mod.default?.InferenceSession ? mod.default : mod;
  } catch {
    throw new FreightError('freight bench compares with ONNX Runtime: install it with `npm install onnxruntime-node`');
  }
}

const ORT_TYPES: Record<DType, Ort.Tensor.Type> = { float32: 'float32', int64: 'int64', int32: 'int32', bool: 'bool' };

/** An ONNX Runtime session; `run` includes ORT's upload and readback (outputs land on the CPU). */
export async function ortSystem(ort: OrtModule, name: 'ort-webgpu' | 'ort-cpu', path: string, inputs: Readonly<Record<string, Tensor>>, vulkanDriver?: string): Promise<BenchSystem> {
  const ep = name === 'ort-webgpu' ? 'webgpu' : 'cpu';
  let session: Ort.InferenceSession;
  const before = process.env.VK_ICD_FILENAMES;
  if (vulkanDriver) process.env.VK_ICD_FILENAMES = vulkanDriver;
  try {
    // No spinning: ORT's idle worker threads otherwise spin on the CPU after each run and slow
    // whichever system runs next (SwiftShader runs on those same cores): measured 13 → 58 ms.
    const extra = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };
    session = await ort.InferenceSession.create(path, { executionProviders: [ep], logSeverityLevel: 3, extra });
  } catch (e) {
    throw new FreightError(`ONNX Runtime (${ep} EP) cannot load ${path}: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    if (before === undefined) delete process.env.VK_ICD_FILENAMES;
    else process.env.VK_ICD_FILENAMES = before;
  }
  const feeds: Record<string, Ort.Tensor> = {};
  for (const [input, t] of Object.entries(inputs)) feeds[input] = new ort.Tensor(ORT_TYPES[t.dtype], t.data as never, [...t.shape]);
  return {
    name,
    async run() {
      const results = await session.run(feeds);
      return new Map(session.outputNames.map((o) => [o, fromOrt(results[o])]));
    },
    release: () => session.release(),
  };
}

function fromOrt(t: Ort.Tensor): Tensor {
  const dtype = t.type as DType;
  if (!(dtype in ORT_TYPES)) throw new FreightError(`ONNX Runtime returned a ${t.type} tensor, which freight has no dtype for`);
  return { dtype, shape: [...t.dims], data: dtype === 'bool' ? new Uint8Array(t.data as Uint8Array) : t.data } as Tensor;
}

/** Dawn's native API on this platform, and whether the adapter is SwiftShader. */
function backendName(gpu: GpuDevice): string {
  const api = process.platform === 'darwin' ? 'metal' : process.platform === 'win32' ? 'd3d12' : 'vulkan';
  return gpu.kind === 'swiftshader' ? `dawn-${api} (swiftshader)` : `dawn-${api}`;
}

/** The readable table: one row per system, speed-ups relative to ort-webgpu (> 1: faster). */
export function formatBench(report: BenchReport): string {
  const base = report.systems.find((s) => s.name === 'ort-webgpu')?.medianMs;
  const hasGpu = report.systems.some((s) => s.gpuMedianMs !== undefined);
  const head = ['system', 'median ms', 'min ms', 'max ms', 'runs', 'speed-up vs ort-webgpu', ...(hasGpu ? ['GPU median ms'] : []), 'max rel err'];
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const s of report.systems) {
    table.push([
      s.name, fmtMs(s.medianMs), fmtMs(s.minMs), fmtMs(s.maxMs), String(s.runs),
      base ? `${(base / s.medianMs).toFixed(2)}×` : '–',
      ...(hasGpu ? [s.gpuMedianMs === undefined ? '–' : fmtMs(s.gpuMedianMs)] : []),
      s.maxRelError === undefined ? '(reference)' : s.maxRelError.toExponential(1),
    ]);
  }
  const { vendor, architecture, description, backend } = report.device;
  const notes = report.systems.filter((s) => s.note).map((s) => `${s.name}: ${s.note}`);
  return [`${report.model} on ${description || vendor} (${[vendor, architecture].filter(Boolean).join(' ')}, ${backend})`,
    table.toString(), ...notes].join('\n');
}

export const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function registerBenchCommand(program: Command): void {
  program.command('bench')
    .description('time freight (tuned and untuned) against ONNX Runtime (WebGPU and CPU) on the same device and inputs')
    .argument('<MODEL>', 'an .onnx file')
    .addOption(shapeOption())
    .option('--db <FILE>', 'tuning database for `freight` (default schedules without one)')
    .addOption(new Option('--runs <N>', 'timed runs per system').argParser(positiveInteger).default(7))
    .option('--device <NAME>', "'auto', 'swiftshader' or part of the adapter's name", 'auto')
    .option('--json', 'print JSON to stdout')
    .action(async (model: string, opts: { shape: Record<string, number[]>; db?: string; runs: number; device: string; json?: boolean }) => {
      const warn = (m: string): void => { process.stderr.write(`freight: warning: ${m}\n`); };
      const report = await benchModel(model, { shapes: opts.shape, db: opts.db, runs: opts.runs, device: opts.device, warn });
      process.stdout.write(`${opts.json ? JSON.stringify(report, null, 2) : formatBench(report)}\n`);
    });
}
