import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { DTYPES, tensorOf, toNumbers, type DType } from '../../tensor.js';
import { int, resolveCase, runFreight } from '../../testing/freight-only.js';

const CODE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9 };

/** Values exercising each source dtype: fractions and negatives for floats, zeros everywhere. */
const SOURCES: Record<DType, ReturnType<typeof tensorOf>> = {
  float32: tensorOf('float32', [2, 4], [-2.7, -0.5, -0, 0, 0.4, 1.5, 2.9, 1e6]),
  int32: tensorOf('int32', [2, 4], [-7, -1, 0, 1, 2, 3, 100000, -2147483648]),
  int64: tensorOf('int64', [2, 4], [-7, -1, 0, 1, 2, 3, 100000, -2147483648]),
  bool: tensorOf('bool', [2, 4], [0, 1, 1, 0, 0, 0, 1, 1]),
};

describe('Cast', () => {
  for (const from of DTYPES) {
    for (const to of DTYPES) {
      it(`${from} → ${to}`, async () => {
        await checkOp({ op: 'Cast', inputs: [SOURCES[from]], attrs: { to: CODE[to] } });
      });
    }
  }
  it('int64 beyond int32: → int32 keeps the low 32 bits, as ONNX Runtime does', async () => {
    const wide = tensorOf('int64', [3], [2 ** 40, 2 ** 40 + 5, -(2 ** 33) - 1]);
    for (const to of DTYPES) {
      await checkOp({ op: 'Cast', inputs: [wide], attrs: { to: CODE[to] }, legsExempt: 'int64 tensors run on WebGPU as int32' });
    }
  });
  it('NaN and infinities → bool are true, → float32 stay', async () => {
    const special = tensorOf('float32', [3], [NaN, Infinity, -Infinity]);
    await checkOp({ op: 'Cast', inputs: [special], attrs: { to: CODE.bool }, legsExempt: 'WGSL does not guarantee NaN propagation (SwiftShader drops it)' });
    await checkOp({ op: 'Cast', inputs: [special], attrs: { to: CODE.float32 } });
  });
  it('a cast to the same dtype moves no data', () => {
    const { loop } = runFreight({ op: 'Cast', inputs: [SOURCES.int64], attrs: { to: int(7) } });
    expect(loop[0].data).toEqual(SOURCES.int64.data);
  });
  it('casts to float16, double and bfloat16 as float32, the dtype the importer gives them', () => {
    for (const code of [10, 11, 16]) {
      const { reference, loop } = runFreight({ op: 'Cast', inputs: [SOURCES.int64], attrs: { to: int(code) } });
      expect(reference[0].dtype).toBe('float32');
      expect(Array.from(toNumbers(loop[0]))).toEqual(Array.from(toNumbers(SOURCES.int64)));
    }
  });
  it('refuses a target freight has no dtype for, and a missing to', () => {
    expect(() => resolveCase({ op: 'Cast', inputs: [SOURCES.float32], attrs: { to: int(3) } }))
      .toThrow(/\(Cast\): attribute to is ONNX element type 3; freight casts only to float/);
    expect(() => resolveCase({ op: 'Cast', inputs: [SOURCES.float32] })).toThrow(/attribute 'to' is required/);
  });
});
