// Sample devices, workloads and records for the tuning database's tests, and fresh file paths.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device, NewRecord, Workload } from '../types.js';

export const DEVICE: Device = {
  fingerprint: 'f'.repeat(64),
  name: 'google-swiftshader',
  description: { vendor: 'google', architecture: 'swiftshader', limits: { maxComputeWorkgroupSizeX: 256 } },
};

export const OTHER_DEVICE: Device = { fingerprint: 'e'.repeat(64), name: 'nvidia-ampere', description: { vendor: 'nvidia' } };

export const WORKLOAD: Workload = { key: 'a'.repeat(64), summary: { ops: ['Conv'], shapes: ['float32[1,8,4,4]', 'float32[1,8,6,6]'] } };

export const OTHER_WORKLOAD: Workload = { key: 'b'.repeat(64), summary: { ops: ['MatMul'], shapes: ['float32[4,4]'] } };

/** A valid record of WORKLOAD on DEVICE, format 1, whose schedule and time follow from `i`. */
export function sampleRecord(i: number, change: Partial<NewRecord> = {}): NewRecord {
  const medianMs = 1 + (i % 7) / 10;
  return {
    workload: WORKLOAD.key,
    device: DEVICE.fingerprint,
    format: 1,
    schedule: { v: 1, steps: [{ t: 'workgroup-size', at: 'k', p: { size: 32 << (i % 4), trial: i } }] },
    stats: { medianMs, minMs: medianMs - 0.05, maxMs: medianMs + 0.1, runs: 7 },
    predictedMs: medianMs * 0.9,
    failure: null,
    maxError: 1e-6,
    tolerance: 1e-4,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    ...change,
  };
}

/** A path in a new temporary folder; the file does not exist yet. */
export function freshDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'freight-db-')), 'tuning.db');
}
