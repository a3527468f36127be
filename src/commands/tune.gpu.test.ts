// `freight tune` through the real executable on a small model: trials recorded and counted over
// sessions (the same command resumes), SIGINT finishes the round and says how to resume, and
// kill -9 loses at most the round in flight with the database intact.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../ir/onnx/index.js';
import { tensorOf } from '../../ir/tensor.js';
import { RECORD_FORMAT } from '../../kernels/record-format.js';
import { openTuningDb } from '../../tuning-db/index.js';

const bin = new URL('../../bin/freight.js', import.meta.url).pathname;
const run = promisify(execFile);
let dir: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'freight-tune-'));
  // relu(x · W + b): one GEMM kernel with its epilogue, and a softmax's reductions.
  const b = new OnnxBuilder({ opset: 17, producer: 'tune-test' });
  const x = b.input('x', 'float32', [16, 32]);
  const w = b.initializer('w', tensorOf('float32', [32, 24], Array.from({ length: 32 * 24 }, (_, i) => Math.sin(i))));
  const bias = b.initializer('b', tensorOf('float32', [24], Array.from({ length: 24 }, (_, i) => i / 24)));
  const h = b.op('Relu', [b.op('Add', [b.op('MatMul', [x, w]), bias])]);
  b.output(b.op('Softmax', [h], { axis: -1 }, { outputs: ['y'] }), 'float32', [16, 24]);
  model = join(dir, 'mlp.onnx');
  writeFileSync(model, b.encode());
});

async function tune(db: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [bin, 'tune', model, '--db', db, '--json', ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Starts a long tune, waits for `rounds` progress lines, sends `signal`; resolves with its exit. */
function interrupted(db: string, signal: NodeJS.Signals, rounds: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [bin, 'tune', model, '--db', db, '--trials', '1000', '--seed', '7'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let seen = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const now = (stderr.match(/trials, kernels/g) ?? []).length;
      if (now >= rounds && seen < rounds) child.kill(signal);
      seen = now;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** A workload's baseline record: its default schedule, measured before the trials and not one. */
const isBaseline = (r: { schedule: unknown }): boolean => ((r.schedule as { steps?: unknown[] }).steps ?? []).length === 0;

describe('freight tune', () => {
  it('records every trial, verified, and resumes with the same command', async () => {
    const db = join(dir, 'a.db');
    const first = await tune(db, '--trials', '6');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ status: 'finished', trials: 6 });
    expect(report.tasks.every((t: { defaultMs: number | null }) => t.defaultMs !== null)).toBe(true);

    const again = await tune(db, '--trials', '9');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resumed after 6 trials/);
    expect(JSON.parse(again.stdout).trials).toBe(9);

    const tuned = await openTuningDb(db, { create: false });
    const workloads = await tuned.workloads();
    const records = (await Promise.all(workloads.map((w) => tuned.records(w.key)))).flat();
    await tuned.close();
    // Each workload's baseline (its default), then the 9 trials.
    expect(records.filter((r) => isBaseline(r))).toHaveLength(workloads.length);
    expect(records).toHaveLength(workloads.length + 9);
    for (const r of records) {
      expect(r.format).toBe(RECORD_FORMAT);
      if (!r.failure) expect(r.maxError).toBeLessThanOrEqual(r.tolerance!);
    }
  });

  it('finishes the round on SIGINT, saves, says the same command resumes, and exits 130', async () => {
    const db = join(dir, 'sigint.db');
    const r = await interrupted(db, 'SIGINT', 2);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted after \d+ trials, saved in .*; run the same command to resume/);
    const tuned = await openTuningDb(db, { create: false });
    expect(await tuned.integrityCheck()).toEqual(['ok']);
    await tuned.close();
  });

  it('after kill -9 the database is intact and the run resumes from its last saved round', async () => {
    const db = join(dir, 'killed.db');
    await interrupted(db, 'SIGKILL', 2);
    const tuned = await openTuningDb(db, { create: false });
    expect(await tuned.integrityCheck()).toEqual(['ok']);
    const records = (await Promise.all((await tuned.workloads()).map((w) => tuned.records(w.key)))).flat();
    await tuned.close();
    const trials = records.filter((r) => !isBaseline(r)).length;
    expect(trials).toBeGreaterThan(0);
    const resumed = await tune(db, '--trials', String(trials + 2), '--seed', '7');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resumed after ${trials} trials`));
  });
});
