import { describe, expect, it } from 'vitest';
import { openDevice } from '../gpu/device.js';
import { createMeasurer } from './measurer.js';
import { double, loop, verifyDouble } from './test-kernels.js';

describe('createMeasurer', () => {
  it('measures a correct kernel: verified, min <= median <= max', async () => {
    const m = createMeasurer(await openDevice({ warn: () => {} }));
    const r = await m.measure(double(), { verify: verifyDouble, timing: { minMeasuredMs: 5, maxRuns: 20 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.maxError).toBe(0);
    expect(r.runMs.length).toBeGreaterThanOrEqual(3);
    expect(r.minMs).toBeGreaterThan(0);
    expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
    expect(r.medianMs).toBeLessThanOrEqual(r.maxMs);
  });

  it('returns compile errors, wrong results and implausible speed as values', async () => {
    const m = createMeasurer(await openDevice({ warn: () => {} }));
    const compile = await m.measure(double('out[i] = 2.0 * undefined_name[i];'), { verify: verifyDouble });
    expect(compile).toMatchObject({ ok: false, error: 'compile' });
    if (!compile.ok) expect(compile.detail).toMatch(/undefined_name/);
    const wrong = await m.measure(double('out[i] = 3.0 * x[i];'), { verify: verifyDouble });
    expect(wrong).toMatchObject({ ok: false, error: 'wrong-result' });
    // A kernel that writes nothing leaves NaN, which the verify function must catch.
    const silent = await m.measure(double('if (x[i] < -1.0) { out[i] = 0.0; }'), { verify: verifyDouble });
    expect(silent).toMatchObject({ ok: false, error: 'wrong-result' });
    const tooFast = await m.measure(double(), { verify: verifyDouble, minPlausibleMs: 1e6, timing: { minMeasuredMs: 1, maxRuns: 3 } });
    expect(tooFast).toMatchObject({ ok: false, error: 'wrong-result' });
    if (!tooFast.ok) expect(tooFast.detail).toMatch(/physical limit/);
  });

  it('turns a kernel that runs past its limit into a timeout and goes on on a fresh device', async () => {
    const m = createMeasurer(await openDevice({ warn: () => {} }));
    const first = m.gpu;
    // About 0.5–3 s on SwiftShader: long enough to pass the limit, short enough for the
    // abandoned work to drain (SwiftShader's worker threads are shared by all its devices).
    const hung = await m.measure(loop(1 << 18), { timeLimitMs: 100 });
    expect(hung).toMatchObject({ ok: false, error: 'timeout' });
    expect(m.gpu).not.toBe(first);
    expect(m.gpu.fingerprint).toBe(first.fingerprint);
    const next = await m.measure(double(), { verify: verifyDouble, timing: { minMeasuredMs: 1, maxRuns: 5 } });
    expect(next.ok).toBe(true);
  });
});
