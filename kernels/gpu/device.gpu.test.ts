import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openAdapter, openDevice } from './device.js';

// Runs in CI on SwiftShader; with no adapter at all this fails (it must never skip).
describe('openDevice', () => {
  it('opens an adapter and runs a compute shader on it', async () => {
    const drivers = process.env.VK_ICD_FILENAMES;
    const gpu = await openDevice({ warn: () => {} });
    expect(gpu.info.vendor.length + gpu.info.description.length).toBeGreaterThan(0);
    // Pointing the loader at SwiftShader is undone: child processes see the user's drivers.
    expect(process.env.VK_ICD_FILENAMES).toBe(drivers);
    const { device } = gpu;
    const code = '@group(0) @binding(0) var<storage, read_write> b: array<f32>;\n'
      + '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { if (g.x < 256u) { b[g.x] = f32(g.x) * 2.0; } }';
    const buf = device.createBuffer({ size: 1024, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buf, 0, new Float32Array(256).fill(NaN));
    const back = device.createBuffer({ size: 1024, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(4);
    pass.end();
    encoder.copyBufferToBuffer(buf, 0, back, 0, 1024);
    device.queue.submit([encoder.finish()]);
    await back.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(back.getMappedRange().slice(0));
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 2, 4, 6]);
    expect(out[255]).toBe(510);
  });
});

describe('openAdapter', () => {
  it('describes the adapter openDevice opens, without a device', async () => {
    const [adapter, gpu] = [await openAdapter(), await openDevice()];
    expect('device' in adapter).toBe(false);
    const described = ({ kind, info, fingerprint, name, limits, features }: typeof adapter) => ({ kind, info, fingerprint, name, limits, features });
    expect(described(adapter)).toEqual(described(gpu));
    expect(adapter.limits.maxStorageBuffersPerShaderStage).toBeGreaterThan(0);
  });
});

describe('openDevice without a hardware driver', () => {
  it('does not probe for hardware, so the Vulkan loader prints nothing', () => {
    // A fresh process, since this one's environment already points the loader at SwiftShader.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const device = new URL('./device.ts', import.meta.url).href;
    const script = `const { openDevice } = await import(${JSON.stringify(device)}); console.log((await openDevice()).kind);`;
    const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/vulkan_icd.json' };
    delete env.VK_DRIVER_FILES;
    const run = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { env, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('swiftshader');
    expect(run.stderr).not.toMatch(/vkCreateInstance|Found no drivers/);
  });
});
