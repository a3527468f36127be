// A plan's dispatches for an adapter described by its limits alone (no device): every map with
// points dispatched, tuned steps reaching their kernel alone, the limits refusing what the adapter
// could not run. compile.gpu.test.ts checks that compilePlan runs the same dispatches.

import { describe, expect, it } from 'vitest';
import { FreightError } from '../../ir/errors.js';
import type { Program } from '../../ir/program.js';
import { loadOnnxFile } from '../../ir/onnx/index.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { resolveGraph } from '../../ir/resolve.js';
import { resolveSchedule, type Schedule } from '../schedule.js';
import { targetOf } from '../target.js';
import { planProgram } from './compile-plan.js';
import { planDispatches } from './plan-dispatches.js';

const LIMITS = { maxStorageBuffersPerShaderStage: 8, maxStorageBufferBindingSize: 1 << 27, maxComputeInvocationsPerWorkgroup: 256 };
const raw = loadOnnxFile('examples/bert-layer.onnx');
const program = planProgram(lowerGraph(resolveGraph(raw, { shapes: { hidden: [2, 8, 64], attention_mask: [2, 8] } })), LIMITS);
const plan = (p: Program, schedule: Schedule | undefined, limits: Record<string, number> = LIMITS) =>
  planDispatches(p, resolveSchedule(p, schedule, targetOf({ kind: 'hardware', limits })), limits);

describe('planDispatches', () => {
  it('dispatches every map (a row kernel once), identical shaders sharing a pipeline', () => {
    const { dispatches, pipelines } = plan(program, undefined);
    const covered = new Set(dispatches.flatMap((d) => (d.site.includes('.') ? [d.site] : program.kernels.find((k) => k.id === d.site)!.maps.map((_, i) => `${d.site}.m${i}`))));
    expect(covered).toEqual(new Set(program.kernels.flatMap((k) => k.maps.map((_, i) => `${k.id}.m${i}`))));
    expect(dispatches.every((d) => d.code.includes('@compute') && d.workgroups[0] > 0)).toBe(true);
    expect(pipelines).toBe(new Set(dispatches.map((d) => d.code)).size);
    expect(pipelines).toBeLessThan(dispatches.length);
  });

  it('applies a tuned step to its kernel alone', () => {
    const plain = plan(program, undefined).dispatches;
    const k = program.kernels.find((x) => x.maps.length === 1 && !plain.find((d) => d.site === `${x.id}.m0`)?.schedule.tiles)!;
    const site = `${k.id}.m0`;
    const size = plain.find((d) => d.site === site)!.schedule.workgroupSize === 32 ? 64 : 32;
    const tuned = plan(program, { v: 1, steps: [{ t: 'workgroup-size', at: k.id, p: { size } }] }).dispatches;
    expect(tuned.find((d) => d.site === site)!.schedule.workgroupSize).toBe(size);
    expect(tuned.filter((d) => d.site !== site)).toEqual(plain.filter((d) => d.site !== site));
  });

  it('refuses a kernel that binds more storage buffers than the adapter allows, naming it', () => {
    const widest = Math.max(...plan(program, undefined).dispatches.map((d) => (d.code.match(/var<storage/g) ?? []).length));
    const run = () => plan(program, undefined, { ...LIMITS, maxStorageBuffersPerShaderStage: widest - 1 });
    expect(run).toThrow(FreightError);
    expect(run).toThrow(new RegExp(`^kernel k\\d+ \\(.+\\) binds ${widest} storage buffers; the device allows ${widest - 1}$`));
  });

  it('refuses a buffer larger than the adapter can bind', () => {
    const run = () => plan(program, undefined, { ...LIMITS, maxStorageBufferBindingSize: 1024 });
    expect(run).toThrow(/^buffer '.+' \(\d+ bytes\) exceeds the device's storage binding limit of 1024 bytes$/);
  });
});
