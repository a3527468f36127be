import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../src/commands/bench.js';
import { deviceSlug, geometricMean, markdownReport, untunedRatios, type ZooBenchEntry } from './webgpu-bench.js';

const device: BenchReport['device'] = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', backend: 'dawn-vulkan (swiftshader)' };
const report = (model: string, freightMs: number, ortMs: number): BenchReport => ({
  model,
  shapes: { x: [1, 3] },
  device,
  systems: [
    { name: 'freight', medianMs: freightMs, minMs: freightMs, maxMs: freightMs, runs: 7, maxRelError: 0 },
    { name: 'freight-untuned', medianMs: freightMs, minMs: freightMs, maxMs: freightMs, runs: 7, maxRelError: 0 },
    { name: 'ort-webgpu', medianMs: ortMs, minMs: ortMs, maxMs: ortMs, runs: 7, maxRelError: 0 },
    { name: 'ort-cpu', medianMs: 1, minMs: 1, maxMs: 1, runs: 7 },
  ],
});

describe('webgpu bench report', () => {
  const entries: ZooBenchEntry[] = [
    { model: 'a', report: report('a', 2, 8) },
    { model: 'b', report: report('b', 4, 4) },
    { model: 'c', error: 'kernel k3 (Foo): no codegen' },
  ];

  it('takes the geometric mean of freight-untuned over ort-webgpu across benched models', () => {
    expect(untunedRatios(entries)).toEqual([{ model: 'a', ratio: 0.25 }, { model: 'b', ratio: 1 }]);
    expect(geometricMean([0.25, 1])).toBeCloseTo(0.5, 12);
  });

  it('names the results after the adapter', () => {
    expect(deviceSlug(device)).toBe('swiftshader');
    expect(deviceSlug({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', backend: 'dawn-vulkan' })).toBe('nvidia-hopper');
  });

  it('writes the geometric mean, a table per model, and why a model was not benched', () => {
    const md = markdownReport(entries, 'small', 7);
    expect(md).toMatch(/Geometric mean of freight-untuned \/ ort-webgpu: 0\.500\*\* over 2 model/);
    expect(md).toMatch(/## a\n\nShapes: x=1,3/);
    expect(md).toMatch(/\| freight-untuned \| 2\.00 \| 2\.00 \| 2\.00 \| 7 \| 4\.00× \|/);
    expect(md).toMatch(/## c\n\nNot benched: kernel k3 \(Foo\): no codegen/);
  });
});
