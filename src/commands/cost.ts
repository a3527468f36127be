// `freight cost MODEL`: the cost model's prediction for every kernel the webgpu backend would
// dispatch (the default fusion plan, default schedules for the device): FLOPs, bytes moved at
// transaction granularity, the compulsory bytes, predicted ms and what bounds it. The device
// profile comes from `--profile FILE` (saved by `freight device --json`); else the device is
// opened and measured with short microbenchmarks (about 2 s on SwiftShader instead of the full
// profile's 10), not cached: a stale profile would mislead quietly; else, with no device at all, a
// nominal GPU is assumed and the note says so. With `--db`, the prediction is calibrated on the
// database's valid records of the model's workloads on this device (cost-model/calibrate.ts),
// fitted afresh each time, and the report says whether it was.

import { readFileSync } from 'node:fs';
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { calibrate, COST_MODELS, NOMINAL_PROFILE, type BoundBy, type CostModel, type CostProfile, type KernelCost } from '../../cost-model/index.js';
import { FreightError } from '../../ir/errors.js';
import type { Program } from '../../ir/program.js';
import { openDevice, type DeviceKind } from '../../kernels/gpu/device.js';
import { planProgram } from '../../kernels/plan/compile-plan.js';
import { profileDevice, type DeviceProfile } from '../../kernels/profile/index.js';
import { mapSite, resolveSchedule, type MapSchedule, type ScheduleTarget } from '../../kernels/schedule.js';
import { targetOf } from '../../kernels/target.js';
import { calibrationSamples } from '../../search/calibration.js';
import { openTuningDb } from '../../tuning-db/index.js';
import { loadModel, lowerModel } from '../model.js';
import { shapeOption } from '../options.js';

export interface CostOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  /** Tuning database whose records of this device calibrate the prediction. */
  readonly db?: string;
  /** A saved `freight device --json`; else the device is opened and measured briefly. */
  readonly profileFile?: string;
  /** --device: 'auto' or a name, as for openDevice. */
  readonly device?: string;
  readonly warn?: (message: string) => void;
}

export interface KernelCostRow {
  readonly id: string;
  readonly ops: readonly string[];
  readonly flops: number;
  readonly bytesMoved: number;
  readonly bytesLowerBound: number;
  readonly predictedMs: number;
  readonly boundBy: BoundBy;
}

export interface CostReport {
  readonly device: {
    readonly name: string;
    readonly kind: DeviceKind | 'nominal';
    /** Where the figures came from: 'measured (short)', the profile file, or 'nominal'. */
    readonly profile: string;
  } & Required<Pick<CostProfile, 'copyGBps' | 'fmaGflops' | 'dispatchUs' | 'workgroupMemoryGBps' | 'simdWidth' | 'concurrency'>>;
  readonly kernels: readonly KernelCostRow[];
  readonly total: { readonly flops: number; readonly bytesMoved: number; readonly bytesLowerBound: number; readonly predictedMs: number };
  /** Whether predictedMs is calibrated on measurements: from how many valid records of how many of the model's workloads, or why not. */
  readonly calibration: { readonly calibrated: true; readonly records: number; readonly workloads: number } | { readonly calibrated: false; readonly why: string };
  readonly note?: string;
}

/** Short microbenchmarks (about 2 s on SwiftShader, not 10): rougher figures; `--profile` takes a full one. */
export const SHORT_SIZES: Record<DeviceKind, Parameters<typeof profileDevice>[1]> = {
  swiftshader: { copyBytes: 8 << 20, fmaGroups: 8, fmaIterations: 512, dispatches: 50, wgGroups: 8, wgReads: 128, minMeasuredMs: 20 },
  hardware: { copyBytes: 64 << 20, fmaGroups: 1024, fmaIterations: 2048, dispatches: 500, wgGroups: 2048, wgReads: 1024, minMeasuredMs: 40 },
};

/** The device the kernels are costed for: what its profile says, and what the schedules assume. */
export interface CostDevice {
  readonly name: string;
  readonly kind: DeviceKind | 'nominal';
  readonly source: string;
  /** The database's key of the device; none for a nominal GPU or a profile that does not name it. */
  readonly fingerprint?: string;
  readonly profile: Required<Pick<CostProfile, 'simdWidth' | 'concurrency' | 'workgroupsAtOnce'>> & CostProfile;
  /** maxStorageBuffersPerShaderStage and friends, for fusion. */
  readonly limits: Readonly<Record<string, number>>;
  /** What the default schedules assume, subgroup operations included where the device was opened with them. */
  readonly target: ScheduleTarget;
}

export async function costModel(path: string, options: CostOptions = {}): Promise<CostReport> {
  const model = loadModel(path, { shapes: options.shapes ?? {} });
  const device = await costDevice(options);
  const program = planProgram(lowerModel(model), device.limits);
  const schedules = resolveSchedule(program, undefined, device.target);
  const calibration: Calibration = options.db ? await calibrateFromDb(options.db, device, program) : { calibrated: false, why: 'no --db' };
  const costs = costProgram(program, schedules, device.profile, calibration.calibrated ? calibration.model : COST_MODELS.analytic);
  const kernels = costs.map(({ id, ops, flops, bytesMoved, bytesLowerBound, predictedMs, boundBy }) => ({ id, ops, flops, bytesMoved, bytesLowerBound, predictedMs, boundBy }));
  const sum = (f: (k: KernelCostRow) => number): number => kernels.reduce((n, k) => n + f(k), 0);
  const notes = [
    ...(device.kind === 'nominal' ? ['no WebGPU device could be opened: the figures are for a nominal GPU'] : []),
    ...(options.db && !calibration.calibrated ? [`not calibrated: ${calibration.why}`] : []),
  ];
  const { copyGBps, fmaGflops, dispatchUs, workgroupMemoryGBps, simdWidth, concurrency } = device.profile;
  return {
    device: { name: device.name, kind: device.kind, profile: device.source, copyGBps, fmaGflops, dispatchUs, workgroupMemoryGBps, simdWidth, concurrency },
    kernels,
    total: { flops: sum((k) => k.flops), bytesMoved: sum((k) => k.bytesMoved), bytesLowerBound: sum((k) => k.bytesLowerBound), predictedMs: sum((k) => k.predictedMs) },
    calibration: calibration.calibrated ? { calibrated: true, records: calibration.records, workloads: calibration.workloads } : calibration,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** Every kernel of `p` costed under its maps' resolved schedules (by the analytic model unless told). */
export function costProgram(p: Program, schedules: ReadonlyMap<string, MapSchedule>, profile: CostProfile, model: CostModel = COST_MODELS.analytic): KernelCost[] {
  return p.kernels.map((k) => model.costKernel(p, k, k.maps.map((_, i) => schedules.get(mapSite(k.id, i))!), profile));
}

type Calibration = { calibrated: true; records: number; workloads: number; model: CostModel } | { calibrated: false; why: string };

async function calibrateFromDb(path: string, device: CostDevice, program: Program): Promise<Calibration> {
  if (!device.fingerprint) return { calibrated: false, why: `the device profile names no device, so --db ${path} has no records for it` };
  const db = await openTuningDb(path, { create: false });
  try {
    const samples = await calibrationSamples(program, program.kernels, (key) => db.records(key, device.fingerprint), device.target);
    if (samples.length === 0) return { calibrated: false, why: `${path} has no valid records of this model's kernels on ${device.name}` };
    const model = calibrate(samples, device.profile);
    return { calibrated: true, records: model.samples, workloads: model.workloads, model };
  } finally {
    await db.close();
  }
}

/** The profile's figures the cost model reads, with the parallelism the default schedules assume. */
export function costProfileOf(profile: Pick<DeviceProfile, 'copyGBps' | 'fmaGflops' | 'dispatchUs' | 'workgroupMemoryGBps' | 'limits'> & { readonly device: { readonly kind: DeviceKind } }): CostDevice['profile'] {
  const { simdWidth, concurrency, workgroupsAtOnce } = targetOf({ kind: profile.device.kind, limits: profile.limits });
  const { copyGBps, fmaGflops, dispatchUs, workgroupMemoryGBps } = profile;
  return { copyGBps, fmaGflops, dispatchUs, workgroupMemoryGBps, simdWidth, concurrency, workgroupsAtOnce };
}

/** From `--profile` (its features, but no adapter to give the subgroup size), the device opened, or a nominal GPU. */
export async function costDevice(options: CostOptions): Promise<CostDevice> {
  if (options.profileFile) {
    const p = readProfile(options.profileFile);
    const target = targetOf({ kind: p.device.kind, limits: p.limits, features: p.features });
    return { name: p.device.name, kind: p.device.kind, source: options.profileFile, fingerprint: p.device.fingerprint, profile: costProfileOf(p), limits: p.limits, target };
  }
  // No adapter at all is no reason to refuse a prediction; an adapter asked for by name that is
  // not there is the user's mistake.
  const auto = (options.device ?? 'auto') === 'auto';
  const gpu = await openDevice({ device: options.device, warn: options.warn }).catch((e: unknown) => {
    if (!(e instanceof FreightError) || !auto) throw e;
    options.warn?.(`${e.message}; costing for a nominal GPU`);
    return undefined;
  });
  if (!gpu) return { name: 'nominal-gpu', kind: 'nominal', source: 'nominal', profile: NOMINAL_PROFILE, limits: {}, target: targetOf({ kind: 'hardware', limits: {} }) };
  const p = await profileDevice(gpu, SHORT_SIZES[gpu.kind]);
  return { name: gpu.name, kind: gpu.kind, source: 'measured (short)', fingerprint: gpu.fingerprint, profile: costProfileOf(p), limits: gpu.limits, target: targetOf(gpu) };
}

function readProfile(file: string): DeviceProfile {
  let p: DeviceProfile;
  try {
    p = JSON.parse(readFileSync(file, 'utf8')) as DeviceProfile;
  } catch (e) {
    throw new FreightError(`cannot read the device profile ${file}: ${(e as Error).message}`);
  }
  const figures = ['copyGBps', 'fmaGflops', 'dispatchUs', 'workgroupMemoryGBps'] as const;
  const bad = figures.find((f) => !(typeof p?.[f] === 'number' && p[f] > 0));
  if (bad || !p.device?.kind || typeof p.limits !== 'object') {
    throw new FreightError(`${file} is not a device profile saved by \`freight device --json\` (${bad ? `'${bad}' is not a positive number` : 'no device kind or limits'})`);
  }
  return p;
}

/** 1.23 MB, 456 kFLOP, 12 B. */
const si = (x: number, unit: string): string => {
  if (x < 1e3) return `${Math.round(x)} ${unit}`;
  const [scale, prefix] = x >= 1e9 ? [1e9, 'G'] : x >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
  return `${(x / scale).toPrecision(3)} ${prefix}${unit}`;
};

export function formatCost(r: CostReport): string {
  const table = new Table({ head: ['kernel', 'ops', 'FLOPs', 'bytes moved', 'lower bound', 'predicted ms', 'bound by'], style: { head: [], border: [] } });
  for (const k of r.kernels) {
    const ops = k.ops.join(', ') || 'copy';
    table.push([k.id, ops.length > 48 ? `${ops.slice(0, 47)}…` : ops, si(k.flops, 'FLOP'), si(k.bytesMoved, 'B'), si(k.bytesLowerBound, 'B'), k.predictedMs.toPrecision(3), k.boundBy]);
  }
  const t = r.total;
  table.push(['total', '', si(t.flops, 'FLOP'), si(t.bytesMoved, 'B'), si(t.bytesLowerBound, 'B'), t.predictedMs.toPrecision(3), '']);
  const d = r.device;
  const head = `${d.name} (${d.kind}, profile: ${d.profile}): ${d.copyGBps.toPrecision(3)} GB/s, ${d.fmaGflops.toPrecision(3)} GFLOP/s, ${d.dispatchUs.toPrecision(3)} µs per dispatch`;
  const c = r.calibration;
  const calibrated = c.calibrated ? `calibrated on ${c.records} records of ${c.workloads} workloads` : 'analytic (not calibrated)';
  return [`${head}; ${calibrated}`, table.toString(), ...(r.note ? [`note: ${r.note}`] : [])].join('\n');
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function registerCostCommand(program: Command): void {
  program.command('cost')
    .description('predict every kernel\'s FLOPs, bytes moved and time with the cost model (default fusion and schedules)')
    .argument('<MODEL>', 'an .onnx file')
    .addOption(shapeOption())
    .option('--db <FILE>', 'tuning database: calibrate the predictions on its measurements of this device')
    .addOption(new Option('--profile <FILE>', 'a device profile saved by `freight device --json`; default: measure the device briefly'))
    .option('--device <NAME>', "'auto', 'swiftshader', or part of the adapter's description or vendor", 'auto')
    .option('--json', 'print JSON to stdout')
    .action(async (model: string, opts: { shape: Record<string, number[]>; db?: string; profile?: string; device: string; json?: boolean }) => {
      const warn = (message: string): void => { process.stderr.write(`freight: warning: ${message}\n`); };
      const report = await costModel(model, { shapes: opts.shape, db: opts.db, profileFile: opts.profile, device: opts.device, warn });
      write(opts.json ? JSON.stringify(report, null, 2) : formatCost(report));
    });
}
