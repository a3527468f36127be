import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FreightError } from '../ir/errors.js';
import { tensorOf, toNumbers, type Tensor } from '../ir/tensor.js';
import { readNpy, writeNpy } from './npy.js';

const fixture = (name: string): Tensor => readNpy(readFileSync(new URL(`./fixtures/npy/${name}`, import.meta.url)), name);

describe('.npy files written by NumPy', () => {
  it('reads float32 in every format version', () => {
    for (const name of ['f32.npy', 'v2.npy', 'v3.npy']) {
      const t = fixture(name);
      expect(t.dtype).toBe('float32');
      expect(t.shape).toEqual([2, 3, 4]);
      expect(t.data[23]).toBeCloseTo(23 / 7, 6);
    }
  });
  it('reads int64 exactly, including values beyond 2^53', () => {
    const t = fixture('i64.npy');
    expect(t.dtype).toBe('int64');
    expect(Array.from(t.data as BigInt64Array)).toEqual([-(2n ** 40n), 3n, 9223372036854775807n]);
  });
  it('reads int32, bool, scalars and empty arrays', () => {
    expect(Array.from(toNumbers(fixture('i32.npy')))).toEqual([-5, 0, 7]);
    const b = fixture('bool.npy');
    expect([b.dtype, Array.from(toNumbers(b))]).toEqual(['bool', [1, 0, 0, 1]]);
    expect(fixture('scalar.npy')).toMatchObject({ shape: [], data: new Float32Array([3.5]) });
    expect(fixture('empty.npy').shape).toEqual([0, 3]);
  });
  it('converts float64 and uint8, Fortran order and big-endian data', () => {
    expect(Array.from(toNumbers(fixture('f64.npy')))).toEqual([1.5, -2.25]);
    expect(fixture('u8.npy')).toMatchObject({ dtype: 'int32', data: new Int32Array([0, 255]) });
    expect(Array.from(toNumbers(fixture('fortran.npy')))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(toNumbers(fixture('bigendian.npy')))).toEqual([0, 1, 2, 3]);
  });
});

describe('writeNpy', () => {
  it('round-trips every dtype', () => {
    for (const t of [
      tensorOf('float32', [2, 2], [1, -2.5, NaN, Infinity]),
      tensorOf('int64', [3], [-1, 0, 2 ** 40]),
      tensorOf('int32', [1, 3], [7, -8, 9]),
      tensorOf('bool', [2], [1, 0]),
      tensorOf('float32', [], [4]),
    ]) {
      const back = readNpy(writeNpy(t), 'x.npy');
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(toNumbers(back)).toEqual(toNumbers(t));
    }
  });
  it('writes a header NumPy accepts: 64-byte aligned, newline-terminated', () => {
    const bytes = writeNpy(tensorOf('float32', [3], [1, 2, 3]));
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
  });
});

describe('bad .npy files', () => {
  const good = writeNpy(tensorOf('float32', [4], [1, 2, 3, 4]));
  it.each([
    ['empty', new Uint8Array(0), /does not start with the NumPy magic/],
    ['random', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), /magic/],
    ['truncated data', good.subarray(0, good.length - 3), /data bytes/],
    ['truncated header', good.subarray(0, 20), /header is truncated/],
  ])('%s → one sentence naming the file', (_, bytes, why) => {
    expect(() => readNpy(bytes, 'in.npy')).toThrow(FreightError);
    expect(() => readNpy(bytes, 'in.npy')).toThrow(why);
  });
  it('refuses unsupported dtypes', () => {
    const header = new TextEncoder().encode("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n");
    const bytes = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0, ...header, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => readNpy(bytes, 'c.npy')).toThrow(/dtype '<c8' is not supported/);
  });
});
