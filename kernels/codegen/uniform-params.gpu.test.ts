// Maps with their parameters in a uniform buffer on WebGPU against the loop interpreter, outputs
// poisoned with NaN: elementwise over reshaped and shifted views, serial reductions (register
// blocks with tails, an unrolled loop with a remainder, vec4), a workgroup tree, a subgroup
// reduction, a padded strided convolution, a tiled GEMM with staged operands and an indirect read.
// Then two maps of different shapes in one plan sharing a pipeline, and the same kernel measured
// alone in the isolated measurer.

import { afterAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../ir/loop/run-program.js';
import type { Program } from '../../ir/program.js';
import { compareTensors } from '../../ir/testing/compare.js';
import { fromWords, toWords } from '../plan/gpu-words.js';
import { openIsolatedMeasurer, type IsolatedMeasurer } from '../measure/isolated-measurer.js';
import { parameterBindings, type KernelBinding } from '../measure/kernel-spec.js';
import { compilePlan } from '../plan/compile-plan.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { resolveSchedule, type ScheduleStep } from '../schedule.js';
import { targetOf } from '../target.js';
import { generateMap } from './generate-map.js';
import { block, checkScheduled, step } from './run-scheduled.js';
import { conv, elementwise, gatherMax, gemm, matvec, type TestCase } from './test-programs.js';

const uniform = step('parameters', { in: 'uniform' });

/** Runs `steps` with the parameters in a uniform buffer and checks that the WGSL reads them there. */
async function check(c: TestCase, steps: readonly ScheduleStep[] = []): Promise<string> {
  const code = await checkScheduled(c, [...steps, uniform]);
  expect(code).toMatch(/@binding\(\d\) var<uniform> u: array<vec4<i32>, \d+>;/);
  expect(code).toMatch(/if \(flat >= u32\(u_\d+\)\) \{ return; \}/);
  return code;
}

describe('uniform parameters', () => {
  it('elementwise: transposed, padded and reshaped reads, their index constants in the uniform', async () => {
    const code = await check(elementwise(5, 6, 3));
    expect(code).toMatch(/idiv_i\(\(\(v0 \* u_\d+\) \+ v1\), u_\d+\)/);
    // The body's constants are values, not parameters.
    expect(code).toContain('mod_i(v1, 2)');
  });

  it('serial reduction: plain, register blocked with tails, unrolled with a remainder and vec4 loads and stores', async () => {
    await check(matvec(5, 7, 11, 'sum'));
    await check(gemm(9, 11, 13), [block('m', 4), block('n', 4)]);
    const code = await check(gemm(9, 12, 13), [block('n', 4), step('unroll', { dim: 'k', factor: 4 }),
      step('vectorize', { access: 1, dim: 'n' }), step('vectorize', { access: 'write', dim: 'n' })]);
    expect(code).toContain('array<vec4<f32>>');
    expect(code).toMatch(/for \(var v2: i32 = 0; v2 < u_\d+; v2 = v2 \+ 4\)/);
  });

  it('workgroup tree and subgroup reductions', async () => {
    expect(await check(matvec(3, 20, 17, 'max'), [step('reduction', { strategy: 'workgroup-tree' }), step('workgroup-size', { size: 64 })]))
      .toMatch(/for \(var q: i32 = i32\(lid\); q < u_\d+; q = q \+ 64\)/);
    expect(await check(matvec(5, 7, 11, 'prod'), [step('reduction', { strategy: 'subgroup' })])).toContain('subgroupMul(acc)');
  });

  it('convolution: padded, stride 2, by default and register blocked along oc and ow', async () => {
    const c = conv({ OC: 5, H: 9, W: 11, k: 3, stride: 2, pad: 1 });
    await check(c);
    // Over a hundred parameters: their names must not shadow builtins such as u32.
    expect(await check(c, [block('oc', 4), block('ow', 4)])).toContain('let u_100 = ');
  });

  it('GEMM tiled with both operands staged, and a gathered GEMM', async () => {
    const tile = (dim: string, size: number): ScheduleStep => step('tile', { dim, size });
    const code = await check(gemm(10, 13, 14), [block('m', 2), block('n', 4), tile('m', 4), tile('n', 2),
      step('stage', { read: 0, k: 4 }), step('stage', { read: 1, k: 4 })]);
    expect(code).toContain('var<workgroup> s0');
    await check(gatherMax(3, 5, 13));
  });
});

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

/** Both one-map programs as one program of two kernels, the second's buffers renamed. */
function twoKernels(a: TestCase, b: TestCase): TestCase {
  const rename = (name: string): string => `${name}2`;
  const second = b.p.kernels[0].maps[0];
  const p: Program = {
    buffers: new Map([...a.p.buffers, ...[...b.p.buffers.values()].map((x) => [rename(x.name), { ...x, name: rename(x.name) }] as const)]),
    constants: new Map(),
    inputs: [...a.p.inputs, ...b.p.inputs.map(rename)],
    outputs: [{ name: 'y', buffer: 'y' }, { name: 'y2', buffer: 'y2' }],
    kernels: [a.p.kernels[0], { id: 'k2', ops: ['test'], maps: [{
      ...second, reads: second.reads.map((r) => ({ ...r, buffer: rename(r.buffer) })), write: { ...second.write, buffer: rename(second.write.buffer) },
    }] }],
  };
  return { p, inputs: { ...a.inputs, ...Object.fromEntries(Object.entries(b.inputs).map(([k, t]) => [rename(k), t])) } };
}

describe('pipelines shared across shapes', () => {
  it('compiles two maps that differ only in shapes into one pipeline, and runs both right', async () => {
    const { p, inputs } = twoKernels(elementwise(5, 6, 3), elementwise(4, 9, 6));
    const want = runProgram(p, inputs);
    // The same workgroup size for both: the default's depends on the number of outputs.
    const steps = (place: string): ScheduleStep[] => ['k1', 'k2'].flatMap((at) => [
      { t: 'workgroup-size', at, p: { size: 32 } }, { t: 'parameters', at, p: { in: place } }]);
    const constant = await compilePlan(p, await gpu(), { v: 1, steps: steps('constant') }, { fusion: false });
    expect(constant.pipelines).toBe(2);
    const plan = await compilePlan(p, await gpu(), { v: 1, steps: steps('uniform') }, { fusion: false });
    expect(plan.pipelines).toBe(1);
    const got = await plan.run(inputs, { poison: true });
    for (const name of ['y', 'y2']) {
      const cmp = compareTensors(got.get(name)!, want.get(name)!);
      expect(cmp.ok, `${name}: ${cmp.detail}`).toBe(true);
    }
  });
});

describe('isolated measurement', () => {
  let measurer: IsolatedMeasurer | undefined;
  afterAll(() => measurer?.close());

  it('measures a kernel with its parameters bound as a uniform after its storage', async () => {
    const { p, inputs } = conv({ OC: 6, H: 7, W: 9, k: 3, stride: 1, pad: 1 });
    const want = runProgram(p, inputs).get('y')!;
    const m = p.kernels[0].maps[0];
    const s = resolveSchedule(p, { v: 1, steps: [uniform] }, targetOf(await gpu())).get('k1.m0')!;
    const g = generateMap(m, s, { buffer: (name) => p.buffers.get(name)!, root: (name) => p.buffers.get(name)! });
    expect(g.uniforms).toBeDefined();
    const y = p.buffers.get('y')!;
    const storage: KernelBinding[] = g.bindings.map((b, binding) => (b.access === 'read_write'
      ? { binding, kind: 'storage', size: y.shape.reduce((n, x) => n * x, 4), output: true }
      : { binding, kind: 'read-only-storage', data: toWords(inputs[b.buffer], b.buffer) }));
    measurer = await openIsolatedMeasurer({ warn: () => {} });
    const r = await measurer.measure({ code: g.code, bindings: [...storage, ...parameterBindings(storage.length, g.uniforms)], workgroups: [...g.workgroups] }, {
      timing: { minMeasuredMs: 2, maxRuns: 5 },
      verify: ([out]) => {
        const cmp = compareTensors(fromWords(new Uint32Array(out), 'float32', y.shape, 'y', false), want);
        return { ok: cmp.ok, maxError: cmp.maxRelError, detail: cmp.detail };
      },
    });
    expect(r, r.ok ? '' : r.detail).toMatchObject({ ok: true });
  });
});
