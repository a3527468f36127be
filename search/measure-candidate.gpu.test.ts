// Candidates measured for tuning: a valid one verified and timed in the child process, a wrong one
// recorded as wrong-result (never as valid), and a kernel that does not end within the limit
// recorded as a timeout, after which the next candidate measures at once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, read, v } from '../ir/expr.js';
import { fuseProgram } from '../ir/fusion/index.js';
import type { Program } from '../ir/program.js';
import { tensorOf } from '../ir/tensor.js';
import { openIsolatedMeasurer, type IsolatedMeasurer } from '../kernels/measure/isolated-measurer.js';
import { DEFAULT_TARGET } from '../kernels/schedule.js';
import { rowModel } from '../kernels/codegen/row-test-models.js';
import { gemmBiasRelu } from '../transform-space/test-programs.js';
import { measureCandidateIsolated } from './measure-candidate.js';
import { tuningTasks, type TuningTask } from './task.js';

let measurer: IsolatedMeasurer;
beforeAll(async () => { measurer = await openIsolatedMeasurer(); });
afterAll(() => measurer.close());

/** A target on which even one output reduces serially (a tree's flattened loop over 2^32 points would not fit an i32). */
const target = { ...DEFAULT_TARGET, concurrency: 2, workgroupsAtOnce: 2, simdWidth: 4 };
const gemm = (): TuningTask => tuningTasks(fuseProgram(gemmBiasRelu(16, 12, 24)).program)[0];

/** y[0] = Σ over 65536 × 65536 points of x[0]: billions of steps, far past any time limit. */
function endless(): TuningTask {
  const program: Program = {
    buffers: new Map([['x', { name: 'x', shape: [1], dtype: 'float32', kind: 'input' }], ['y', { name: 'y', shape: [1], dtype: 'float32', kind: 'output' }]]),
    constants: new Map(), inputs: ['x'], outputs: [{ name: 'y', buffer: 'y' }],
    kernels: [{ id: 'k1', ops: ['endless'], maps: [{
      dims: [{ name: 'i', extent: 1 }, { name: 'r', extent: 65536, reduce: true }, { name: 's', extent: 65536, reduce: true }],
      reads: [{ buffer: 'x', index: [bin('mul', v('i'), v('r'))] }],
      body: read(0),
      write: { buffer: 'y', index: [v('i')], wcr: 'sum' },
    }] }],
  };
  const x = tensorOf('float32', [1], [1]);
  return { key: 'endless', summary: null, kernel: program.kernels[0], instances: 1, program, inputs: { x }, expected: new Map([['y', tensorOf('float32', [1], [65536 * 65536])]]) };
}

describe('measuring tuning candidates in a child process', () => {
  it('verifies and times a valid candidate', async () => {
    const m = await measureCandidateIsolated(gemm(), [], measurer, target);
    expect(m).toMatchObject({ failure: null, detail: null });
    expect(m!.stats!.runs).toBeGreaterThanOrEqual(5);
    expect(m!.maxError).toBeLessThanOrEqual(m!.tolerance);
  });

  it('records a candidate whose outputs differ as wrong-result, with no timing', async () => {
    const task = gemm();
    const [name, t] = [...task.expected][0];
    const wrong = { ...task, expected: new Map([[name, tensorOf('float32', t.shape, Array.from(t.data as Float32Array, (x) => x + 1))]]) };
    const m = await measureCandidateIsolated(wrong, [], measurer, target);
    expect(m).toMatchObject({ failure: 'wrong-result', stats: null });
  });

  it('measures a row kernel (a decomposed LayerNorm, one dispatch of several maps) there too, and catches a wrong one', async () => {
    const [task] = tuningTasks(rowModel('layernorm', [3, 5, 40]).fused);
    expect(task.kernel.maps.length).toBeGreaterThan(1);
    for (const steps of [[], [{ t: 'reduction', at: '@.m0', p: { strategy: 'workgroup-tree' } }, { t: 'workgroup-size', at: '@.m0', p: { size: 16 } }]] as const) {
      const m = await measureCandidateIsolated(task, steps, measurer, DEFAULT_TARGET);
      expect(m).toMatchObject({ failure: null, detail: null });
      expect(m!.maxError).toBeLessThanOrEqual(m!.tolerance);
    }
    const [name, t] = [...task.expected][0];
    const wrong = { ...task, expected: new Map([[name, tensorOf('float32', t.shape, Array.from(t.data as Float32Array, (x, i) => (i === 7 ? x + 1 : x)))]]) };
    expect(await measureCandidateIsolated(wrong, [], measurer, DEFAULT_TARGET)).toMatchObject({ failure: 'wrong-result', stats: null });
  });

  it('records a kernel that runs past its limit as a timeout, and the next candidate measures at once', async () => {
    const start = performance.now();
    const m = await measureCandidateIsolated(endless(), [], measurer, target, 500);
    expect(m).toMatchObject({ failure: 'timeout', stats: null });
    expect(performance.now() - start).toBeLessThan(5_000);
    const next = performance.now();
    expect((await measureCandidateIsolated(gemm(), [], measurer, target))!.failure).toBeNull();
    expect(performance.now() - next).toBeLessThan(10_000);
  });
});
