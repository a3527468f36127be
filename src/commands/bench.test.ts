import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { FreightError } from '../../ir/errors.js';
import { OnnxBuilder } from '../../ir/onnx/index.js';
import { tensorOf, type Tensor } from '../../ir/tensor.js';
import { benchModel, formatBench, registerBenchCommand, stats, timeSystems, type BenchReport, type BenchSystem, type SystemName } from './bench.js';

describe('stats', () => {
  it('gives the median, min, max and count of the runs', () => {
    expect(stats([5, 1, 3])).toEqual({ medianMs: 3, minMs: 1, maxMs: 5, runs: 3 });
    expect(stats([4, 1, 2, 3])).toEqual({ medianMs: 2.5, minMs: 1, maxMs: 4, runs: 4 });
  });
});

describe('formatBench', () => {
  it('prints a row per system with its speed-up relative to ort-webgpu', () => {
    const report: BenchReport = {
      model: 'm.onnx',
      shapes: {},
      device: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', backend: 'dawn-vulkan (swiftshader)' },
      systems: [
        { name: 'freight-untuned', medianMs: 10, minMs: 9, maxMs: 12, runs: 7, maxRelError: 1e-7, note: 'default schedules' },
        { name: 'ort-webgpu', medianMs: 20, minMs: 19, maxMs: 25, runs: 7, maxRelError: 2e-7 },
        { name: 'ort-cpu', medianMs: 1, minMs: 1, maxMs: 1, runs: 7 },
      ],
    };
    const text = formatBench(report);
    expect(text).toMatch(/freight-untuned.*│ 2\.00×/);
    expect(text).toMatch(/ort-webgpu.*│ 1\.00×/);
    expect(text).toMatch(/ort-cpu.*│ 20\.00×.*\(reference\)/);
    expect(text).toMatch(/freight-untuned: default schedules/);
  });
});

describe('benchModel', () => {
  it('refuses a model with an unsupported operator before opening any device', async () => {
    const b = new OnnxBuilder({ opset: 17 });
    const x = b.input('x', 'float32', [4]);
    b.output(b.op('LSTMish', [x], {}, { name: 'weird' }), 'float32', [4]);
    const path = join(mkdtempSync(join(tmpdir(), 'freight-bench-')), 'unsupported.onnx');
    writeFileSync(path, b.encode());
    const bench = benchModel(path);
    await expect(bench).rejects.toThrow(FreightError);
    await expect(bench).rejects.toThrow(/LSTMish \(node 'weird'\)/);
  });
});

describe('freight bench (command line)', () => {
  it('refuses a bad --runs as a usage error', async () => {
    const program = new Command('freight').exitOverride().configureOutput({ writeErr: () => {} });
    registerBenchCommand(program);
    const parse = program.parseAsync(['bench', 'm.onnx', '--runs', '0'], { from: 'user' });
    await expect(parse).rejects.toThrow(CommanderError);
    await expect(parse).rejects.toThrow(/--runs.*positive integer/);
  });
});

describe('timeSystems', () => {
  const fake = (name: SystemName, y: number[]): BenchSystem & { calls: number } => {
    const s = { name, calls: 0, run: async () => { s.calls++; return new Map<string, Tensor>([['y', tensorOf('float32', [2], y)]]); } };
    return s;
  };

  it('verifies against ort-cpu, warms up, then times every system the same number of runs', async () => {
    const systems = [fake('freight-untuned', [1, 2]), fake('ort-webgpu', [1, 2.00001]), fake('ort-cpu', [1, 2])];
    const timings = await timeSystems(systems, ['y'], 7, 2);
    expect(timings.map((t) => [t.name, t.runs])).toEqual([['freight-untuned', 7], ['ort-webgpu', 7], ['ort-cpu', 7]]);
    expect(systems.map((s) => s.calls)).toEqual([10, 10, 10]);
    expect(timings[0].maxRelError).toBe(0);
    expect(timings[1].maxRelError).toBeGreaterThan(0);
    expect(timings[2].maxRelError).toBeUndefined();
  });

  it("refuses to time freight when an output differs from ort-cpu's, naming the output", async () => {
    const timing = timeSystems([fake('freight', [1, 3]), fake('ort-cpu', [1, 2])], ['y'], 7, 1);
    await expect(timing).rejects.toThrow(FreightError);
    await expect(timing).rejects.toThrow(/freight: output 'y' differs from ONNX Runtime \(CPU\): element 1: 3 vs expected 2/);
  });
});
