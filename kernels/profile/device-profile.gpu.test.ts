import { describe, expect, it } from 'vitest';
import { openDevice } from '../gpu/device.js';
import { profileDevice } from './device-profile.js';
import { formatProfile } from './format-profile.js';

describe('profileDevice', () => {
  it('measures positive, finite figures and describes the device', async () => {
    const gpu = await openDevice({ warn: () => {} });
    // Smaller than the default sizes, to keep the test fast.
    const p = await profileDevice(gpu, { copyBytes: 1 << 20, fmaGroups: 4, fmaIterations: 256, dispatches: 20, wgGroups: 4, wgReads: 128, minMeasuredMs: 5 });
    for (const x of [p.copyGBps, p.fmaGflops, p.dispatchUs, p.workgroupMemoryGBps, p.timer.resolutionNs]) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThan(0);
    }
    expect(p.device.fingerprint).toBe(gpu.fingerprint);
    expect(p.device.kind).toBe(gpu.kind);
    expect(p.features).toContain('timestamp-query');
    expect(p.limits.maxComputeWorkgroupStorageSize).toBeGreaterThan(0);
    for (const r of Object.values(p.runs)) expect(r.minMs <= r.medianMs && r.medianMs <= r.maxMs).toBe(true);
    expect(formatProfile(p)).toMatch(/copy bandwidth/);
    expect(JSON.parse(JSON.stringify(p)).device.name).toBe(gpu.name);
  });
});
