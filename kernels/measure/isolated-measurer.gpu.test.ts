import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice } from '../gpu/device.js';
import { openIsolatedMeasurer, type IsolatedMeasurer } from './isolated-measurer.js';
import { double, loop, verifyDouble } from './test-kernels.js';

const quick = { minMeasuredMs: 2, maxRuns: 10 };

describe('openIsolatedMeasurer', () => {
  let m: IsolatedMeasurer;
  beforeAll(async () => { m = await openIsolatedMeasurer({ warn: () => {} }); });
  afterAll(() => m.close());

  it('measures in a child process that opened the same adapter as this one', async () => {
    expect(m.device.fingerprint).toBe((await openDevice({ warn: () => {} })).fingerprint);
    expect(m.pid).not.toBe(process.pid);
    const r = await m.measure(double(), { verify: verifyDouble, timing: quick });
    expect(r).toMatchObject({ ok: true, maxError: 0 });
    if (!r.ok) return;
    expect(r.runMs.length).toBeGreaterThanOrEqual(3);
    expect(r.minMs).toBeGreaterThan(0);
    expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
    expect(r.medianMs).toBeLessThanOrEqual(r.maxMs);
  });

  it('returns compile errors and wrong results as values, in the same process', async () => {
    const pid = m.pid;
    const compile = await m.measure(double('out[i] = 2.0 * undefined_name[i];'), { verify: verifyDouble });
    expect(compile).toMatchObject({ ok: false, error: 'compile' });
    if (!compile.ok) expect(compile.detail).toMatch(/undefined_name/);
    const wrong = await m.measure(double('out[i] = 3.0 * x[i];'), { verify: verifyDouble });
    expect(wrong).toMatchObject({ ok: false, error: 'wrong-result', detail: 'max error 1023' });
    // Outputs start as NaN in the child too: a kernel that writes nothing is caught.
    const silent = await m.measure(double('if (x[i] < -1.0) { out[i] = 0.0; }'), { verify: verifyDouble });
    expect(silent).toMatchObject({ ok: false, error: 'wrong-result', detail: 'max error Infinity' });
    expect(m.pid).toBe(pid);
  });

  it('kills a kernel that never ends at its time limit, and measures the next one at once', async () => {
    const pid = m.pid;
    const limitMs = 300;
    let start = performance.now();
    const hung = await m.measure(loop(0xffff_ffff), { timeLimitMs: limitMs });
    const hungMs = performance.now() - start;
    expect(hung).toEqual({ ok: false, error: 'timeout', detail: `the verification run did not finish within ${limitMs} ms` });
    // The limit, plus building the kernel and the messages.
    expect(hungMs).toBeGreaterThanOrEqual(limitMs);
    expect(hungMs).toBeLessThan(limitMs + 1000);
    expect(m.pid).not.toBe(pid);

    // The endless kernel died with its process: the next candidate waits only for a fresh one.
    start = performance.now();
    const next = await m.measure(double(), { verify: verifyDouble, timing: quick });
    const nextMs = performance.now() - start;
    expect(next).toMatchObject({ ok: true, maxError: 0 });
    expect(nextMs).toBeLessThan(3000);
  });

  it('turns a measurement process that dies into a runtime error, then goes on', async () => {
    const pending = m.measure(loop(0xffff_ffff), { timeLimitMs: 30_000 });
    const pid = m.pid!;
    setTimeout(() => process.kill(pid, 'SIGSEGV'), 200);
    expect(await pending).toEqual({ ok: false, error: 'runtime', detail: 'the measurement process died (signal SIGSEGV) while measuring' });
    expect(await m.measure(double(), { verify: verifyDouble, timing: quick })).toMatchObject({ ok: true });
  });

  it('times out a kernel that takes longer to build than the compile limit', async () => {
    const slowBuild = await openIsolatedMeasurer({ compileLimitMs: 1 });
    try {
      // SwiftShader compiles the shader with LLVM: milliseconds at least.
      const r = await slowBuild.measure(double());
      expect(r).toEqual({ ok: false, error: 'timeout', detail: 'building the kernel did not finish within 1 ms' });
    } finally {
      slowBuild.close();
    }
  });

  it('says which device it could not open', async () => {
    await expect(openIsolatedMeasurer({ device: 'no-such-adapter' })).rejects.toThrow(
      /could not open a device for measuring: --device no-such-adapter: no adapter's description or vendor contains 'no-such-adapter'/,
    );
  });

  it('passes on an exception of the verify function, then goes on', async () => {
    const thrown = m.measure(double(), { verify: () => { throw new Error('verify failed'); } });
    await expect(thrown).rejects.toThrow('verify failed');
    expect(await m.measure(double(), { verify: verifyDouble, timing: quick })).toMatchObject({ ok: true });
  });
});
