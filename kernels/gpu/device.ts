// Opening a WebGPU device through Dawn (the `webgpu` package): a hardware adapter when there is
// one, else SwiftShader (a Vulkan implementation on the CPU, from Debian's chromium package) with a
// warning that its timings are not a GPU's, else an error that says how to install it.
// `--device NAME` picks an adapter whose description or vendor contains NAME; `reopenDevice`
// opens the same adapter again after the device was lost or abandoned; `openAdapter` stops short
// of the device, for what needs only the adapter's identity and limits (`freight compile`). Where
// the Vulkan loader would find no driver but SwiftShader, the hardware probe is skipped: it finds
// nothing and makes the loader print "Found no drivers!" to stderr.
//
// Dawn segfaults or hangs if the object `create()` returns is garbage-collected while devices
// live, so every instance is kept referenced for the life of the process.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { FreightError } from '../../ir/errors.js';
import { deviceFingerprint, deviceName } from './fingerprint.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export type DeviceKind = 'hardware' | 'swiftshader';

/**
 * An adapter as freight knows it without a device: what a plan for it is keyed by (fingerprint)
 * and bounded by (limits, features). Enough to generate a plan's code; running one needs a GpuDevice.
 */
export interface GpuAdapter {
  readonly adapter: GPUAdapter;
  readonly kind: DeviceKind;
  /** vendor, architecture, device, description: what tuning records are keyed by. */
  readonly info: { readonly vendor: string; readonly architecture: string; readonly device: string; readonly description: string };
  /** sha256 of the adapter's identity and driver (see fingerprint.ts). */
  readonly fingerprint: string;
  /** A short readable name, e.g. "google-swiftshader". */
  readonly name: string;
  /** The adapter's limits as plain data. */
  readonly limits: Readonly<Record<string, number>>;
  /** The adapter's features, sorted. */
  readonly features: readonly string[];
  /** The options it was opened with, pinned to this adapter, for reopenDevice. */
  readonly options: OpenOptions;
}

export interface GpuDevice extends GpuAdapter {
  readonly device: GPUDevice;
  /** Whether timestamp queries are enabled (unquantized). */
  readonly timestamps: boolean;
  /** Resolves when the device is lost or destroyed (never rejects). */
  readonly lost: Promise<GPUDeviceLostInfo>;
}

export interface OpenOptions {
  /** 'auto' (default), 'swiftshader', or a substring of the adapter's description or vendor. */
  readonly device?: string;
  /** Called with warnings for the user (e.g. that SwiftShader timings are not a GPU's). */
  readonly warn?: (message: string) => void;
}

type WebGpuModule = typeof import('webgpu');

const instances: unknown[] = [];

async function loadWebGpu(): Promise<WebGpuModule> {
  const mod = await import('webgpu');
  // WebGPU's constants (GPUBufferUsage, …) as globals, as in a browser.
  Object.assign(globalThis, mod.globals);
  return mod;
}

/**
 * The Vulkan loader's variables that name its drivers (VK_DRIVER_FILES wins on loaders since
 * 1.3.207), as the process started: requestAdapter points them at SwiftShader while it asks for
 * SwiftShader's adapter and puts these back after, so that hardware probes and child processes
 * see the user's drivers.
 */
const DRIVER_VARIABLES = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'] as const;
const userDrivers: NodeJS.ProcessEnv = Object.fromEntries(DRIVER_VARIABLES.map((v) => [v, process.env[v]]));

const pathList = (value: string | undefined): string[] => (value ? value.split(':').filter((p) => p) : []);

/** A manifest file, or the manifests in a folder, as the loader reads an entry of its lists. */
function manifestsAt(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path).filter((f) => f.endsWith('.json')).map((f) => join(path, f));
  } catch {
    return [];
  }
}

/**
 * The Vulkan driver manifests the loader would find with the environment `env`, SwiftShader's
 * excepted: those VK_DRIVER_FILES or VK_ICD_FILENAMES name, else those in the loader's standard
 * folders on Linux, plus VK_ADD_DRIVER_FILES.
 */
export function hardwareDriverManifests(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME || homedir();
  const named = pathList(env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES);
  const standard = [
    env.XDG_CONFIG_HOME || join(home, '.config'),
    ...pathList(env.XDG_CONFIG_DIRS || '/etc/xdg'),
    '/usr/local/etc',
    '/etc',
    env.XDG_DATA_HOME || join(home, '.local/share'),
    ...pathList(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share'),
  ].map((folder) => join(folder, 'vulkan/icd.d'));
  return [...pathList(env.VK_ADD_DRIVER_FILES), ...(named.length > 0 ? named : standard)]
    .flatMap(manifestsAt)
    .filter((m) => m !== SWIFTSHADER_ICD && !/swiftshader/i.test(basename(m)));
}

/** Whether a hardware probe could find anything, with the drivers the user's environment names. */
const mayHaveHardware = (): boolean => hardwareDriverManifests({ ...process.env, ...userDrivers }).length > 0;

/** Points the loader at the driver `icd`, or at the user's drivers when undefined. */
function setDrivers(icd: string | undefined): void {
  for (const v of DRIVER_VARIABLES) {
    const value = icd ?? userDrivers[v];
    if (value === undefined) delete process.env[v];
    else process.env[v] = value;
  }
}

async function requestAdapter(mod: WebGpuModule, icd: string | undefined, power: GPUPowerPreference = 'high-performance'): Promise<GPUAdapter | null> {
  // The loader reads its drivers from the environment when Dawn creates its Vulkan instance,
  // which it does while finding adapters.
  setDrivers(icd);
  try {
    const gpu = mod.create(['disable-dawn-features=timestamp_quantization']);
    instances.push(gpu);
    return await gpu.requestAdapter({ powerPreference: power });
  } finally {
    setDrivers(undefined);
  }
}

function isSoftware(adapter: GPUAdapter): boolean {
  const { vendor, architecture, description } = adapter.info;
  return /swiftshader|llvmpipe|lavapipe/i.test(`${vendor} ${architecture} ${description}`);
}

function label(adapter: GPUAdapter): string {
  const { vendor, architecture, description } = adapter.info;
  return [description, vendor, architecture].filter((s) => s).join(' / ') || 'unnamed adapter';
}

function matches(adapter: GPUAdapter, wanted: string): boolean {
  const { vendor, architecture, device, description } = adapter.info;
  return `${vendor} ${architecture} ${device} ${description}`.toLowerCase().includes(wanted.toLowerCase());
}

/** Every adapter Dawn offers here: hardware (both power preferences) and SwiftShader when installed. */
async function allAdapters(mod: WebGpuModule): Promise<GPUAdapter[]> {
  const found: GPUAdapter[] = [];
  for (const power of mayHaveHardware() ? ['high-performance', 'low-power'] as const : []) {
    const a = await requestAdapter(mod, undefined, power);
    if (a && !isSoftware(a) && !found.some((f) => label(f) === label(a))) found.push(a);
  }
  if (existsSync(SWIFTSHADER_ICD)) {
    const a = await requestAdapter(mod, SWIFTSHADER_ICD);
    if (a) found.push(a);
  }
  return found;
}

async function chooseAdapter(mod: WebGpuModule, wanted: string, warn?: (m: string) => void): Promise<{ adapter: GPUAdapter; kind: DeviceKind }> {
  if (wanted !== 'auto' && wanted !== 'swiftshader') {
    const found = await allAdapters(mod);
    const adapter = found.find((a) => matches(a, wanted));
    if (!adapter) {
      const list = found.map((a) => `'${label(a)}'`).join(', ') || 'none';
      throw new FreightError(`--device ${wanted}: no adapter's description or vendor contains '${wanted}' (found: ${list})`);
    }
    return { adapter, kind: isSoftware(adapter) ? 'swiftshader' : 'hardware' };
  }
  const hardware = wanted === 'swiftshader' || !mayHaveHardware() ? null : await requestAdapter(mod, undefined);
  if (hardware && !isSoftware(hardware)) return { adapter: hardware, kind: 'hardware' };
  if (!existsSync(SWIFTSHADER_ICD)) {
    throw new FreightError('no WebGPU adapter found; on a machine without a GPU install SwiftShader with `apt-get install -y --no-install-recommends chromium libvulkan1`');
  }
  const adapter = await requestAdapter(mod, SWIFTSHADER_ICD);
  if (!adapter) throw new FreightError(`no WebGPU adapter found, even with SwiftShader (${SWIFTSHADER_ICD}); is libvulkan1 installed?`);
  if (wanted === 'auto') warn?.('no GPU found: running on SwiftShader (a CPU implementation of Vulkan); its timings are not those of a GPU');
  return { adapter, kind: 'swiftshader' };
}

function plainLimits(limits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  // The limits object exposes its values as prototype getters, so enumerate with for…in.
  for (const key in limits) {
    const v = (limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}

/** The adapter `options` choose, described without creating a device: generating a plan's code needs no more. */
export async function openAdapter(options: OpenOptions = {}): Promise<GpuAdapter> {
  const mod = await loadWebGpu();
  const { adapter, kind } = await chooseAdapter(mod, options.device ?? 'auto', options.warn);
  const { vendor, architecture, device: name, description } = adapter.info;
  const info = { vendor, architecture, device: name, description };
  const { subgroupMinSize, subgroupMaxSize } = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  // Pin reopening to this adapter: by description when it has one, else by kind.
  const pinned = kind === 'swiftshader' ? 'swiftshader' : (description || vendor || 'auto');
  return {
    adapter,
    kind,
    info,
    fingerprint: deviceFingerprint({ ...info, subgroupMinSize, subgroupMaxSize }, kind),
    name: deviceName(info),
    limits: plainLimits(adapter.limits),
    features: [...adapter.features].sort(),
    options: { ...options, device: pinned },
  };
}

export async function openDevice(options: OpenOptions = {}): Promise<GpuDevice> {
  const opened = await openAdapter(options);
  const { adapter } = opened;
  const timestamps = adapter.features.has('timestamp-query');
  const subgroups = adapter.features.has('subgroups');
  const requiredFeatures: GPUFeatureName[] = [];
  if (timestamps) requiredFeatures.push('timestamp-query');
  if (subgroups) requiredFeatures.push('subgroups' as GPUFeatureName);
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: adapter.limits.maxComputeWorkgroupSizeY,
    },
  });
  return { ...opened, device, timestamps, lost: device.lost };
}

/**
 * Opens the same adapter again, for use after `gpu` was lost or abandoned (a kernel that ran past
 * its time limit). The old device is not destroyed here: Dawn's destroy() waits for the queue to
 * drain, which never happens for a kernel that does not finish.
 */
export async function reopenDevice(gpu: GpuDevice): Promise<GpuDevice> {
  return openDevice({ ...gpu.options, warn: undefined });
}
