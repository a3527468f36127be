// Compute pipelines keyed by their WGSL text, which holds compile-time information only (extents,
// strides, grid width where they are literals — never buffer names or uniform values), so identical
// maps anywhere in a model, or in later plans on the same device, compile once. Compile errors and
// validation errors come back as FreightErrors naming the site that asked for the pipeline.

import { FreightError } from '../../ir/errors.js';
import type { GeneratedMap } from '../codegen/generate-map.js';

/** What a pipeline is made of: the WGSL, its storage bindings and whether a uniform follows them. */
export type PipelineSource = Pick<GeneratedMap, 'code' | 'bindings' | 'uniforms'>;

export interface PipelineCache {
  get(source: PipelineSource, site: string): Promise<GPUComputePipeline>;
  readonly size: number;
}

const caches = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** The device's cache (shared by every plan compiled on it). */
export function pipelineCache(device: GPUDevice): PipelineCache {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  const entries = cache;
  return {
    get(source, site) {
      // The text declares the bindings (a uniform array too), so it keys the layout as well.
      const { code } = source;
      let p = entries.get(code);
      if (!p) {
        p = compile(device, source, site);
        entries.set(code, p);
        // A failed compile is not cached: the next site asking gets its own error.
        p.catch(() => entries.delete(code));
      }
      return p;
    },
    get size() { return entries.size; },
  };
}

async function compile(device: GPUDevice, { code, bindings, uniforms }: PipelineSource, site: string): Promise<GPUComputePipeline> {
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
  const storage: GPUBindGroupLayoutEntry[] = bindings.map((b, i) => ({
    binding: i,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
  }));
  const uniform: GPUBindGroupLayoutEntry[] = uniforms ? [{ binding: bindings.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } }] : [];
  const layout = device.createBindGroupLayout({ entries: [...storage, ...uniform] });
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
