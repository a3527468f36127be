// The command-line contract, exercised through the real executable: exit codes, one-sentence
// errors on stderr with no stack trace, data on stdout, .npy outputs named after the outputs.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../ir/onnx/index.js';
import { tensorOf, toNumbers } from '../ir/tensor.js';
import { DEVICE, sampleRecord, WORKLOAD } from '../tuning-db/testing/samples.js';
import { openTuningDb } from '../tuning-db/index.js';
import { readNpy, writeNpy } from './npy.js';

const run = promisify(execFile);
const bin = new URL('../bin/freight.js', import.meta.url).pathname;

async function freight(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [bin, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'freight-cli-'));
  // y = x * 2 + b, with a dynamic batch; a second output with a name that needs sanitizing.
  const b = new OnnxBuilder({ opset: 17, producer: 'cli-test' });
  const x = b.input('x', 'float32', ['batch', 3]);
  const two = b.initializer('two', tensorOf('float32', [1], [2]));
  const bias = b.initializer('bias', tensorOf('float32', [3], [1, 2, 3]));
  const y = b.op('Add', [b.op('Mul', [x, two]), bias], {}, { outputs: ['y'] });
  b.output(y, 'float32', ['batch', 3]);
  b.output(b.op('Sub', [y, x], {}, { outputs: ['out/with:odd chars'] }), 'float32', ['batch', 3]);
  model = join(dir, 'affine.onnx');
  writeFileSync(model, b.encode());
});

describe('freight inspect', () => {
  it('describes a model, noting unbound dimensions, and resolves it once they are bound', async () => {
    const unbound = await freight('inspect', model, '--json');
    expect(unbound.code).toBe(0);
    expect(JSON.parse(unbound.stdout)).toMatchObject({ opset: 17, operators: { Add: 1, Mul: 1, Sub: 1 }, parameters: 4 });
    expect(JSON.parse(unbound.stdout).note).toMatch(/'x'.*--shape/);

    const bound = await freight('inspect', model, '--shape', 'x=2,3', '--json');
    const report = JSON.parse(bound.stdout);
    expect(report.inputs[0].shape).toEqual([2, 3]);
    expect(report.resolved).toMatchObject({ nodes: 3, kernels: 3, flops: 18 });
  });

  it('prints the lowered program with --program', async () => {
    const r = await freight('inspect', model, '--shape', 'x=2,3', '--program');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/y\[d0, d1\] = /);
  });

  it('prints the program after fusion with --fused: the Mul is inlined into the Add that writes y', async () => {
    const r = await freight('inspect', model, '--shape', 'x=2,3', '--fused');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 nodes → 3 kernels \(2 after fusion\)/);
    expect(r.stdout).toMatch(/^k\d+ {2}\S+ \(Mul\), \S+ \(Add\)$/m);
    expect(r.stdout).toMatch(/y\[d0, d1\] = float32\(x\[d0, d1\] \* two\[0\]\) \+ bias\[d1\]/);
  });
});

describe('freight run', () => {
  it('runs with a .npy input and writes one .npy per output, names sanitized', async () => {
    const input = join(dir, 'x.npy');
    writeFileSync(input, writeNpy(tensorOf('float32', [2, 3], [0, 1, 2, 3, 4, 5])));
    const out = join(dir, 'out');
    for (const backend of ['reference', 'loop']) {
      const r = await freight('run', model, '--shape', 'x=2,3', '--input', `x=${input}`, '--backend', backend, '--out', out, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).outputs.map((o: { name: string }) => o.name)).toEqual(['y', 'out/with:odd chars']);
      expect(Array.from(toNumbers(readNpy(readFileSync(join(out, 'y.npy')), 'y.npy')))).toEqual([1, 4, 7, 7, 10, 13]);
      expect(existsSync(join(out, 'out_with_odd_chars.npy'))).toBe(true);
    }
  });

  it('uses seeded random inputs: the same seed gives the same outputs', async () => {
    const a = await freight('run', model, '--shape', 'x=1,3', '--seed', '7', '--json');
    const b = await freight('run', model, '--shape', 'x=1,3', '--seed', '7', '--json');
    const c = await freight('run', model, '--shape', 'x=1,3', '--seed', '8', '--json');
    const means = [a, b, c].map((r) => JSON.parse(r.stdout).outputs[0].mean);
    expect(means[0]).toBe(means[1]);
    expect(means[0]).not.toBe(means[2]);
  });
});

describe('bad input: one sentence, no stack trace, exit 1', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['run', join(dir, 'nope.onnx')], /nope\.onnx/],
    ['an empty file', () => { writeFileSync(join(dir, 'empty.onnx'), ''); return ['run', join(dir, 'empty.onnx')]; }, /empty\.onnx/],
    ['random bytes', () => { writeFileSync(join(dir, 'rand.onnx'), Buffer.from('\x08\x07\x12\x05hello garbage \xff\xfe', 'latin1')); return ['run', join(dir, 'rand.onnx')]; }, /rand\.onnx/],
    ['an unbound dynamic dimension', () => ['run', model], /input 'x' has dynamic dimension 'batch' at axis 0; bind it with --shape/],
    ['a --shape for an unknown input', () => ['run', model, '--shape', 'z=1,3'], /--shape names 'z', which is not an input/],
    ['a wrong-shaped .npy input', () => {
      writeFileSync(join(dir, 'bad.npy'), writeNpy(tensorOf('float32', [3], [1, 2, 3])));
      return ['run', model, '--shape', 'x=2,3', '--input', `x=${join(dir, 'bad.npy')}`];
    }, /bad\.npy holds float32\[3\], but input 'x' is float32\[2,3\]/],
    ['an unsupported operator', () => {
      const b = new OnnxBuilder({ opset: 17 });
      const x = b.input('x', 'float32', [4]);
      b.output(b.op('LSTMish', [b.op('Relu', [x])], {}, { name: 'weird' }), 'float32', [4]);
      writeFileSync(join(dir, 'unsupported.onnx'), b.encode());
      return ['run', join(dir, 'unsupported.onnx')];
    }, /does not support: (.*; )?LSTMish \(node 'weird'\)/],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const r = await freight(...args());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad usage exits 2', async () => {
    expect((await freight('run', model, '--shape', 'nonsense')).code).toBe(2);
    expect((await freight('frobnicate')).code).toBe(2);
    expect((await freight('run', model, '--backend', 'magic')).code).toBe(2);
  });
});

describe('freight db export and import', () => {
  async function tunedDb(name: string): Promise<string> {
    const path = join(dir, name);
    const db = await openTuningDb(path);
    await db.upsertDevice(DEVICE);
    await db.upsertWorkload(WORKLOAD);
    await db.addRecords([sampleRecord(0), sampleRecord(1, { failure: 'timeout', stats: null }), sampleRecord(2)]);
    await db.close();
    return path;
  }

  it('round-trips the records through versioned JSON lines, to stdout or a file', async () => {
    const source = await tunedDb('source.db');
    const exported = await freight('db', 'export', '--db', source);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toEqual({ format: 'freight-tuning-db', version: 1 });
    expect(lines.map((l) => JSON.parse(l).kind)).toEqual([undefined, 'device', 'workload', 'record', 'record', 'record']);

    const file = join(dir, 'dump.jsonl');
    expect((await freight('db', 'export', '--db', source, '--out', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(exported.stdout);
    const copy = join(dir, 'copy.db');
    const imported = await freight('db', 'import', file, '--db', copy);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/imported 3 record\(s\)/);
    expect((await freight('db', 'export', '--db', copy)).stdout).toBe(exported.stdout);
  });

  it('skips a torn last line with a warning naming it', async () => {
    const file = join(dir, 'torn.jsonl');
    const text = (await freight('db', 'export', '--db', await tunedDb('torn-source.db'))).stdout;
    writeFileSync(file, text.slice(0, -25));
    const r = await freight('db', 'import', file, '--db', join(dir, 'torn.db'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${file} line 6 is cut short`);
    expect(r.stderr).toMatch(/imported 2 record\(s\)/);
  });

  it('refuses a bad line by its number, imports nothing, and exits 1', async () => {
    const file = join(dir, 'bad.jsonl');
    const lines = (await freight('db', 'export', '--db', await tunedDb('bad-source.db'))).stdout.split('\n');
    lines[4] = lines[4].replace('"timeout"', '"on-fire"');
    writeFileSync(file, lines.join('\n'));
    const target = join(dir, 'bad-target.db');
    const r = await freight('db', 'import', file, '--db', target);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^freight: ${file} line 5: "failure" must be null or one of`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await freight('db', 'export', '--db', target)).stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a file that is not a database with one sentence and leaves it untouched', async () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'not a database\n'.repeat(50));
    for (const args of [['db', 'export', '--db', path], ['db', 'import', join(dir, 'dump.jsonl'), '--db', path]]) {
      const r = await freight(...args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`freight: ${path} is not a tuning database (not an SQLite file); pass another file with --db or move it aside`);
    }
    expect(readFileSync(path, 'utf8')).toBe('not a database\n'.repeat(50));
  });

  it('bad usage exits 2', async () => {
    expect((await freight('db', 'import')).code).toBe(2);
    expect((await freight('db', 'export', '--frobnicate')).code).toBe(2);
  });
});

describe('freight cost', () => {
  /** A device profile as `freight device --json` saves it (the figures the cost model reads). */
  const profile = (): string => {
    const path = join(dir, 'profile.json');
    writeFileSync(path, JSON.stringify({ device: { name: 'test-gpu', kind: 'hardware' }, copyGBps: 100, fmaGflops: 1000, dispatchUs: 10, workgroupMemoryGBps: 500, limits: {} }));
    return path;
  };

  it('predicts every kernel the webgpu backend dispatches, from a saved profile, in the JSON of the contract', async () => {
    const r = await freight('cost', model, '--shape', 'x=2,3', '--profile', profile(), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['device', 'kernels', 'total', 'calibration']);
    expect(report.calibration).toEqual({ calibrated: false, why: 'no --db' });
    expect(report.device).toMatchObject({ name: 'test-gpu', kind: 'hardware', copyGBps: 100, dispatchUs: 10, simdWidth: 32 });
    // The default fusion plan: Mul inlined into the Add that writes y, then the Sub.
    expect(report.kernels.map((k: { ops: string[] }) => k.ops)).toEqual([['Mul_0', 'Add_1'], ['Sub_2']]);
    for (const k of report.kernels) {
      expect(Object.keys(k)).toEqual(['id', 'ops', 'flops', 'bytesMoved', 'bytesLowerBound', 'predictedMs', 'boundBy']);
      // Six elements: far too few to be anything but launch-bound at 10 µs a dispatch.
      expect(k.boundBy).toBe('launch');
      expect(k.predictedMs).toBeGreaterThanOrEqual(0.01);
      expect(k.bytesMoved).toBeGreaterThanOrEqual(k.bytesLowerBound);
    }
    // x, two, bias and y once; then y, x and the second output once.
    expect(report.kernels.map((k: { bytesLowerBound: number }) => k.bytesLowerBound)).toEqual([4 * (6 + 1 + 3 + 6), 4 * 3 * 6]);
    expect(report.total).toEqual({
      flops: 18,
      bytesMoved: report.kernels[0].bytesMoved + report.kernels[1].bytesMoved,
      bytesLowerBound: 136,
      predictedMs: report.kernels[0].predictedMs + report.kernels[1].predictedMs,
    });
  });

  it('prints a table without --json, and notes why --db did not calibrate it', async () => {
    const r = await freight('cost', model, '--shape', 'x=2,3', '--profile', profile(), '--db', join(dir, 'cost.db'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kernel.*ops.*FLOPs.*bytes moved.*lower bound.*predicted ms.*bound by/);
    expect(r.stdout).toMatch(/Mul_0, Add_1.*launch/);
    expect(r.stdout).toMatch(/total .*18 FLOP/);
    expect(r.stdout).toMatch(/analytic \(not calibrated\)/);
    expect(r.stdout).toMatch(/note: not calibrated: the device profile names no device, so --db .*cost\.db has no records for it/);
    expect(existsSync(join(dir, 'cost.db'))).toBe(false);
  });

  it('refuses a file that is not a device profile with one sentence naming it', async () => {
    const path = join(dir, 'not-a-profile.json');
    writeFileSync(path, JSON.stringify({ copyGBps: 'fast' }));
    const r = await freight('cost', model, '--shape', 'x=2,3', '--profile', path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`freight: ${path} is not a device profile saved by \`freight device --json\` ('copyGBps' is not a positive number)`);
  });
});

describe('freight compile and leaderboard', () => {
  it('compiles the example with an empty database: every kernel a cache miss, plan and WGSL written', async () => {
    const out = join(dir, 'compiled');
    const db = join(dir, 'compile.db');
    const r = await freight('compile', 'examples/resnet.onnx', '--shape', 'input=1,3,32,32', '--db', db, '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ cacheHits: 0, db });
    expect(report.cacheMisses).toBe(report.kernels);
    expect(JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')).dispatches).toHaveLength(report.dispatches);
  });

  it('refuses compile without --out (usage, exit 2) and a leaderboard of a missing database (exit 1)', async () => {
    expect((await freight('compile', 'examples/resnet.onnx')).code).toBe(2);
    const r = await freight('leaderboard', '--db', join(dir, 'missing.db'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/there is no tuning database at .*missing\.db/);
  });
});
