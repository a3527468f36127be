import { describe, expect, it } from 'vitest';
import { openDevice, reopenDevice } from './device.js';
import { measureTimerResolution } from './timer-resolution.js';
import { timeGpu } from './timer.js';

describe('timing on the device', () => {
  it('has a stable fingerprint across openings', async () => {
    const gpu = await openDevice({ warn: () => {} });
    const again = await reopenDevice(gpu);
    expect(gpu.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(again.fingerprint).toBe(gpu.fingerprint);
    expect(again.kind).toBe(gpu.kind);
    expect(gpu.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(64);
  });

  it('refuses a --device name that matches no adapter, listing what it found', async () => {
    await expect(openDevice({ device: 'no-such-gpu-xyz', warn: () => {} })).rejects.toThrow(/no-such-gpu-xyz.*found: '/);
  });

  it('has unquantized timestamps with a resolution well below 65 µs', async () => {
    const gpu = await openDevice({ warn: () => {} });
    expect(gpu.timestamps).toBe(true);
    const r = await measureTimerResolution(gpu);
    expect(r.quantized).toBe(false);
    expect(r.resolutionNs).toBeGreaterThan(0);
    expect(r.resolutionNs).toBeLessThan(65_000);
  });

  it('times a kernel: enough runs, min <= median <= max, with timestamps or the wall clock', async () => {
    const gpu = await openDevice({ warn: () => {} });
    const { device } = gpu;
    const code = '@group(0) @binding(0) var<storage, read_write> b: array<f32>;\n'
      + '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { b[g.x] = b[g.x] * 0.5 + 1.0; }';
    const buffer = device.createBuffer({ size: 64 * 64 * 4, usage: GPUBufferUsage.STORAGE });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] });
    const encode = (pass: GPUComputePassEncoder): void => { pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(64); };
    for (const wallClock of [false, true]) {
      const t = await timeGpu(gpu, encode, { warmupRuns: 1, minMeasuredMs: 5, maxRuns: 50, wallClock });
      expect(t.source).toBe(wallClock ? 'wall-clock' : 'timestamp');
      expect(t.runsMs.length).toBeGreaterThanOrEqual(3);
      expect(t.runsMs.length).toBeLessThanOrEqual(50);
      expect(t.minMs).toBeGreaterThan(0);
      expect(t.minMs).toBeLessThanOrEqual(t.medianMs);
      expect(t.medianMs).toBeLessThanOrEqual(t.maxMs);
      expect(t.runsMs.reduce((a, b) => a + b, 0) >= 5 || t.runsMs.length === 50).toBe(true);
    }
  });
});
