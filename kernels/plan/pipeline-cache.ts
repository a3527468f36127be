// Compute pipelines keyed by their WGSL text, which holds compile-time information only (extents,
// strides, grid width — never buffer names or runtime values), so identical maps anywhere in a
// model, or in later plans on the same device, compile once. Compile errors and validation errors
// come back as FreightErrors naming the site that asked for the pipeline.

import { FreightError } from '../../ir/errors.js';
import type { MapBinding } from '../codegen/generate-map.js';

export interface PipelineCache {
  get(code: string, bindings: readonly MapBinding[], site: string): Promise<GPUComputePipeline>;
  readonly size: number;
}

const caches = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** The device's cache (shared by every plan compiled on it). */
export function pipelineCache(device: GPUDevice): PipelineCache {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  const entries = cache;
  return {
    get(code, bindings, site) {
      let p = entries.get(code);
      if (!p) {
        p = compile(device, code, bindings, site);
        entries.set(code, p);
        // A failed compile is not cached: the next site asking gets its own error.
        p.catch(() => entries.delete(code));
      }
      return p;
    },
    get size() { return entries.size; },
  };
}

async function compile(device: GPUDevice, code: string, bindings: readonly MapBinding[], site: string): Promise<GPUComputePipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) {
    await device.popErrorScope();
    const text = errors.map((m) => `line ${m.lineNum}: ${m.message}`).join('; ');
    throw new FreightError(`${site}: the generated WGSL does not compile: ${text}`);
  }
  // An explicit layout: 'auto' would drop bindings the shader never touches, and the bind group
  // would then no longer match.
  const layout = device.createBindGroupLayout({
    entries: bindings.map((b, i) => ({
      binding: i,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
    })),
  });
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await device.createComputePipelineAsync({
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
  } catch (e) {
    await device.popErrorScope();
    throw new FreightError(`${site}: the WebGPU pipeline cannot be created: ${(e as Error).message}`);
  }
  const error = await device.popErrorScope();
  if (error) throw new FreightError(`${site}: WebGPU validation failed: ${error.message}`);
  return pipeline;
}
