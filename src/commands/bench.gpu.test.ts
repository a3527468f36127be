import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OnnxBuilder } from '../../ir/onnx/index.js';
import { tensorOf } from '../../ir/tensor.js';
import { benchModel, registerBenchCommand, SYSTEMS } from './bench.js';

// Needs a WebGPU adapter (SwiftShader in CI); with none it fails, never skips.
let model: string;

beforeAll(() => {
  // y = relu(x · W + b) with a dynamic batch: a GEMM, a broadcast and an elementwise op.
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('x', 'float32', ['batch', 8]);
  const w = b.initializer('w', tensorOf('float32', [8, 4], Array.from({ length: 32 }, (_, i) => Math.sin(i))));
  const bias = b.initializer('b', tensorOf('float32', [4], [0.1, -0.2, 0.3, -0.4]));
  b.op('Relu', [b.op('Add', [b.op('MatMul', [x, w]), bias])], {}, { outputs: ['y'] });
  b.output('y', 'float32', ['batch', 4]);
  model = join(mkdtempSync(join(tmpdir(), 'freight-bench-')), 'dense.onnx');
  writeFileSync(model, b.encode());
});

describe('benchModel on WebGPU', () => {
  it('times exactly the four systems on the same inputs, with plain-data JSON', async () => {
    const report = await benchModel(model, { shapes: { x: [2, 8] }, runs: 7, warmup: 1, warn: () => {} });
    expect(report.model).toBe(model);
    expect(report.shapes).toEqual({ x: [2, 8] });
    expect(report.device.vendor.length + report.device.description.length).toBeGreaterThan(0);
    expect(report.device.backend).toMatch(/^dawn-/);
    expect(report.systems.map((s) => s.name)).toEqual(['freight', 'freight-untuned', 'ort-webgpu', 'ort-cpu']);
    expect(SYSTEMS).toEqual(['freight', 'freight-untuned', 'ort-webgpu', 'ort-cpu']);
    expect(report.systems[0].note).toMatch(/default schedules \(no tuning database given\)/);
    for (const s of report.systems) {
      expect(s.runs).toBe(7);
      expect(s.minMs).toBeGreaterThan(0);
      expect(s.minMs).toBeLessThanOrEqual(s.medianMs);
      expect(s.medianMs).toBeLessThanOrEqual(s.maxMs);
      if (s.name !== 'ort-cpu') expect(s.maxRelError).toBeLessThan(1e-4);
    }
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('prints the report as JSON with --json', async () => {
    const program = new Command('freight').exitOverride();
    registerBenchCommand(program);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['bench', model, '--shape', 'x=3,8', '--runs', '7', '--json'], { from: 'user' });
    } finally {
      write.mockRestore();
      warn.mockRestore();
    }
    const report = JSON.parse(out.join(''));
    expect(report.shapes).toEqual({ x: [3, 8] });
    expect(report.systems.map((s: { name: string }) => s.name)).toEqual([...SYSTEMS]);
  });
});
