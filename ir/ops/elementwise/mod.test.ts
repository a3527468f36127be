import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { int, resolveCase } from '../../testing/freight-only.js';

describe('Mod', () => {
  const r = rng(30);
  const a = [5, -5, 5, -5, 7, -7, 0, 6];
  const b = [3, 3, -3, -3, 7, 2, 4, -4];
  for (const dtype of ['int32', 'int64'] as const) {
    it(`fmod=0 on ${dtype} takes the divisor's sign`, async () => {
      await checkOp({ op: 'Mod', inputs: [tensorOf(dtype, [8], a), tensorOf(dtype, [8], b)] });
    });
    it(`fmod=1 on ${dtype} takes the dividend's sign`, async () => {
      await checkOp({ op: 'Mod', inputs: [tensorOf(dtype, [8], a), tensorOf(dtype, [8], b)], attrs: { fmod: 1 } });
    });
  }
  it('fmod=0 broadcasts integer tensors', async () => {
    await checkOp({ op: 'Mod', inputs: [integers(r, [2, 3, 4], -50, 50), integers(r, [4], 1, 9)] });
  });
  it('fmod=1 on float32, broadcast, both signs', async () => {
    await checkOp({ op: 'Mod', inputs: [uniform(r, [3, 4], -10, 10), uniform(r, [3, 1], -3, 3)], attrs: { fmod: 1 } });
    await checkOp({ op: 'Mod', inputs: [tensorOf('float32', [4], [5.5, -5.5, 5.5, -5.5]), tensorOf('float32', [4], [2, 2, -2, -2])], attrs: { fmod: 1 } });
  });
  it('refuses fmod=0 on float32', () => {
    expect(() => resolveCase({ op: 'Mod', inputs: [uniform(r, [2]), uniform(r, [2])] }))
      .toThrow(/fmod=0 \(integer modulo\) is not defined for float32/);
  });
  it('refuses fmod=2 and mixed dtypes', () => {
    expect(() => resolveCase({ op: 'Mod', inputs: [integers(r, [2], 1, 3), integers(r, [2], 1, 3)], attrs: { fmod: int(2) } }))
      .toThrow(/fmod is 2; it must be 0 or 1/);
    expect(() => resolveCase({ op: 'Mod', inputs: [integers(r, [2], 1, 3), integers(r, [2], 1, 3, 'int32')] }))
      .toThrow(/different dtypes \(int64 and int32\)/);
  });
});
