// The helpers of the generated WGSL against the loop interpreter's semantics, element by element
// (not scaled by the tensor's mean as compareTensors does): erf near 0 to 1e-5 relative, floor
// division and modulo on negative operands, round half to even, Math.pow's negative bases, and
// float → int32 stores saturating exactly.

import { describe, expect, it } from 'vitest';
import { bin, c, read, un, v, type Expr } from '../../ir/expr.js';
import { runProgram } from '../../ir/loop/run-program.js';
import type { Buffer, Program } from '../../ir/program.js';
import { tensorOf, toNumbers, type DType, type Tensor } from '../../ir/tensor.js';
import { openDevice, type GpuDevice } from '../gpu/device.js';
import { FreightError } from '../../ir/errors.js';
import { compilePlan } from '../plan/compile-plan.js';
import { pipelineCache } from '../plan/pipeline-cache.js';

let device: Promise<GpuDevice> | undefined;
const gpu = (): Promise<GpuDevice> => (device ??= openDevice({ warn: () => {} }));

/** y[i] = body(x[i]) as a one-map program. */
function pointwise(x: Tensor, body: Expr, out: DType = 'float32'): Program {
  const buf = (name: string, dtype: DType, kind: Buffer['kind']): [string, Buffer] => [name, { name, dtype, shape: [...x.shape], kind }];
  return {
    buffers: new Map([buf('x', x.dtype, 'input'), buf('y', out, 'output')]),
    constants: new Map(), inputs: ['x'], outputs: [{ name: 'y', buffer: 'y' }],
    kernels: [{ id: 'k1', ops: ['f'], maps: [{ dims: [{ name: 'i', extent: x.shape[0] }], reads: [{ buffer: 'x', index: [v('i')] }], body, write: { buffer: 'y', index: [v('i')] } }] }],
  };
}

async function both(p: Program, x: Tensor): Promise<[Float64Array, Float64Array]> {
  const plan = await compilePlan(p, await gpu());
  return [toNumbers((await plan.run({ x }, { poison: true })).get('y')!), toNumbers(runProgram(p, { x }).get('y')!)];
}

const floats = (xs: number[]): Tensor => tensorOf('float32', [xs.length], xs);

describe('WGSL helpers on WebGPU', () => {
  it.each([
    ['erf', [-1e-6, 1e-4, -0.03, 0.2, 0.7, 0.99, 1.01, -1.5, 2.2, 3.5, -5, 7], 1e-5],
    ['tanh', [-1e-6, 1e-3, -0.3, 0.49, 0.51, 2, -9, 40], 1e-5],
    ['sigmoid', [-90, -10, -1e-3, 0, 0.5, 12, 90], 1e-5],
  ] as const)('%s matches to %s relative, element by element', async (op, xs, tol) => {
    const x = floats([...xs]);
    const [got, want] = await both(pointwise(x, un(op, read(0))), x);
    got.forEach((g, i) => expect(Math.abs(g - want[i]), `${op}(${xs[i]}) = ${g}, expected ${want[i]}`).toBeLessThanOrEqual(tol * Math.abs(want[i]) + 1e-30));
  });

  it('rounds half to even and divides and takes modulo by floor', async () => {
    const x = floats([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5]);
    expect((await both(pointwise(x, un('round', read(0))), x))[0]).toEqual(new Float64Array([-2, -2, -0, 0, 2, 2, 4]));
    const ints = tensorOf('int32', [6], [-7, 7, -6, 6, -1, 0]);
    for (const [op, d] of [['idiv', 3], ['mod', 3], ['idiv', -4], ['mod', -4]] as const) {
      const [got, want] = await both(pointwise(ints, bin(op, read(0), c(d)), 'int32'), ints);
      expect(Array.from(got), `${op} ${d}`).toEqual(Array.from(want));
    }
  });

  it('raises negative bases to integer powers as Math.pow does', async () => {
    const x = floats([-2, -0.5, 0, 3]);
    for (const e of [2, 3, -1, 0.5]) {
      const [got, want] = await both(pointwise(x, bin('pow', read(0), c(e))), x);
      got.forEach((g, i) => (Number.isNaN(want[i]) ? expect(g).toBeNaN() : expect(g).toBeCloseTo(want[i], 5)));
    }
  });

  it('stores ±inf and floats beyond the int32 range as INT32_MAX / INT32_MIN exactly, NaN as 0', async () => {
    // An empty max/min reduction leaves ±inf in its f32 accumulator; WGSL's i32() alone saturates at 2147483520.
    const x = floats([Infinity, -Infinity, 3e9, -3e9, NaN, 2147483520, -7.9]);
    const plan = await compilePlan(pointwise(x, read(0), 'int32'), await gpu());
    const got = (await plan.run({ x }, { poison: true })).get('y')!;
    expect(Array.from(got.data as Int32Array)).toEqual([2147483647, -2147483648, 2147483647, -2147483648, 0, 2147483520, -7]);
  });

  it('reports WGSL that does not compile as a FreightError naming the kernel', async () => {
    const { device: d } = await gpu();
    const failed = pipelineCache(d).get({ code: 'fn main( {', bindings: [] }, 'kernel k7 (Bad)');
    await expect(failed).rejects.toThrow(FreightError);
    await expect(failed).rejects.toThrow(/kernel k7 \(Bad\): the generated WGSL does not compile/);
  });
});
