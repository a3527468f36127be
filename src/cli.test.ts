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
