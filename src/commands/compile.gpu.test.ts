// `freight compile` asks the adapter for its identity and limits but opens no device, and writes
// the code that the plan `run` builds and runs: the same dispatches, WGSL and workgroup grids, with
// the tuned steps of the database (here: one workload's parameters moved to a uniform array, whose
// words plan.json lists).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { workloadKey } from '../../ir/canonical.js';
import { openDevice } from '../../kernels/gpu/device.js';
import { planProgram } from '../../kernels/plan/compile-plan.js';
import { RECORD_FORMAT } from '../../kernels/record-format.js';
import { openTuningDb } from '../../tuning-db/index.js';
import { loadModel, lowerModel } from '../model.js';
import { dbDevice, planModel } from '../tuned.js';
import { compileModel } from './compile.js';

vi.mock('../../kernels/gpu/device.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../kernels/gpu/device.js')>();
  return { ...actual, openDevice: vi.fn(actual.openDevice) };
});

const model = 'examples/bert-layer.onnx';
const shapes = { hidden: [2, 8, 64], attention_mask: [2, 8] };

describe('freight compile', () => {
  it('writes the plan a run builds, with every kernel a cache hit, without opening a device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freight-compile-'));
    const lowered = lowerModel(loadModel(model, { shapes }));
    const gpu = await openDevice({ warn: () => {} });
    const fused = planProgram(lowered, gpu.limits);
    const db = await openTuningDb(join(dir, 'tuned.db'));
    await db.upsertDevice(dbDevice(gpu));
    const keys = [...new Set(fused.kernels.map((k) => workloadKey(fused, k)))];
    for (const key of keys) await db.upsertWorkload({ key, summary: null });
    const record = (workload: string, steps: unknown[]) => ({
      workload, device: gpu.fingerprint, format: RECORD_FORMAT, schedule: { v: 1, steps },
      stats: { medianMs: 1, minMs: 1, maxMs: 1, runs: 5 }, predictedMs: null, failure: null, maxError: 0, tolerance: 1e-4,
    });
    const tuned = workloadKey(fused, fused.kernels[0]);
    await db.addRecords([...keys.map((key) => record(key, [])), { ...record(tuned, [{ t: 'parameters', at: '@', p: { in: 'uniform' } }]), comparison: { ratio: 0.5, upper: 0.6, ratios: [0.5] } }]);
    await db.close();
    vi.mocked(openDevice).mockClear();

    const out = join(dir, 'plan');
    const r = await compileModel(model, { shapes, db: join(dir, 'tuned.db'), out, warn: () => {} });
    expect(openDevice).not.toHaveBeenCalled();
    expect(r).toMatchObject({ device: gpu.name, kernels: fused.kernels.length, cacheHits: fused.kernels.length, cacheMisses: 0 });

    const { plan } = await planModel(lowered, gpu, { db: join(dir, 'tuned.db') });
    const written = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { device: string; dispatches: { site: string; schedule: unknown; workgroups: number[]; wgsl: string; uniforms?: number[] }[] };
    expect(written.device).toBe(gpu.fingerprint);
    expect(written.dispatches.map((d) => d.site)).toEqual(plan.dispatches.map((d) => d.site));
    expect(r).toMatchObject({ dispatches: plan.dispatches.length, pipelines: plan.pipelines });
    written.dispatches.forEach((d, i) => {
      expect(readFileSync(join(out, d.wgsl), 'utf8')).toBe(plan.dispatches[i].code);
      expect(d.workgroups).toEqual(plan.dispatches[i].workgroups);
      expect(d.schedule).toEqual(plan.dispatches[i].schedule);
      const tunedKernel = fused.kernels.some((k) => workloadKey(fused, k) === tuned && (d.site === k.id || d.site.startsWith(`${k.id}.`)));
      if (tunedKernel) expect(d.uniforms!.length).toBeGreaterThan(0);
      else expect(d.uniforms).toBeUndefined();
    });
    expect(written.dispatches.some((d) => d.uniforms)).toBe(true);
  });
});
