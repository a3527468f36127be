// Opening a WebGPU device through Dawn (the `webgpu` package): a hardware adapter when there is
// one, else SwiftShader (a Vulkan implementation on the CPU, from Debian's chromium package) with a
// warning that its timings are not a GPU's, else an error that says how to install it.
//
// Dawn segfaults or hangs if the object `create()` returns is garbage-collected while devices
// live, so every instance is kept referenced for the life of the process.

import { existsSync } from 'node:fs';
import { FreightError } from '../../ir/errors.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export type DeviceKind = 'hardware' | 'swiftshader';

export interface GpuDevice {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly kind: DeviceKind;
  /** vendor, architecture, device, description: what tuning records are keyed by. */
  readonly info: { readonly vendor: string; readonly architecture: string; readonly device: string; readonly description: string };
  /** Whether timestamp queries are enabled (unquantized). */
  readonly timestamps: boolean;
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

async function requestAdapter(mod: WebGpuModule, icd: string | undefined): Promise<GPUAdapter | null> {
  // Dawn reads the Vulkan ICD from the environment when an instance is created.
  if (icd) process.env.VK_ICD_FILENAMES = icd;
  const gpu = mod.create(['disable-dawn-features=timestamp_quantization']);
  instances.push(gpu);
  return gpu.requestAdapter({ powerPreference: 'high-performance' });
}

function isSoftware(adapter: GPUAdapter): boolean {
  const { vendor, architecture, description } = adapter.info;
  return /swiftshader|llvmpipe|lavapipe/i.test(`${vendor} ${architecture} ${description}`);
}

export async function openDevice(options: OpenOptions = {}): Promise<GpuDevice> {
  const wanted = options.device ?? 'auto';
  const mod = await loadWebGpu();
  let adapter = wanted === 'swiftshader' ? null : await requestAdapter(mod, undefined);
  if (adapter && wanted !== 'auto' && !`${adapter.info.vendor} ${adapter.info.description}`.toLowerCase().includes(wanted.toLowerCase())) {
    throw new FreightError(`--device ${wanted}: the adapter found is '${adapter.info.description || adapter.info.vendor}'`);
  }
  let kind: DeviceKind = 'hardware';
  if (!adapter || isSoftware(adapter)) {
    if (!existsSync(SWIFTSHADER_ICD)) {
      throw new FreightError('no WebGPU adapter found; on a machine without a GPU install SwiftShader with `apt-get install -y --no-install-recommends chromium libvulkan1`');
    }
    adapter = await requestAdapter(mod, SWIFTSHADER_ICD);
    if (!adapter) throw new FreightError(`no WebGPU adapter found, even with SwiftShader (${SWIFTSHADER_ICD}); is libvulkan1 installed?`);
    kind = 'swiftshader';
    options.warn?.('no GPU found: running on SwiftShader (a CPU implementation of Vulkan); its timings are not those of a GPU');
  }
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
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
  const { vendor, architecture, device: name, description } = adapter.info;
  return { device, adapter, kind, info: { vendor, architecture, device: name, description }, timestamps };
}
