// TensorProto decoding: typed fields and raw_data for every ONNX element type freight reads, the
// conversions to freight dtypes, unaligned raw bytes, and the refusals that name the tensor.

import { describe, expect, it } from 'vitest';
import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { decodeTensor } from './decode-tensor.js';
import { encodeModel, importOnnx, OnnxBuilder } from './index.js';

const noExternal = (): never => {
  throw new Error('no external data in these tests');
};

/** Imports a model whose only initializer is `t` (named "t"). */
function importTensor(t: pb.ITensorProto): Tensor {
  const b = new OnnxBuilder({ opset: 17 });
  b.output('t', 'float32');
  const m = b.toProto();
  m.graph!.initializer = [{ name: 't', ...t }];
  return importOnnx(encodeModel(m)).graph.initializers.get('t')!;
}

function bytesOf(fill: (dv: DataView) => void, length: number): Uint8Array {
  const out = new Uint8Array(length);
  fill(new DataView(out.buffer));
  return out;
}

// [ONNX type, typed-field form, raw form, expected tensor]
const CASES: [string, pb.ITensorProto, pb.ITensorProto, Tensor][] = [
  ['FLOAT', { dataType: 1, dims: [2], floatData: [1.5, -2] },
    { dataType: 1, dims: [2], rawData: bytesOf((d) => { d.setFloat32(0, 1.5, true); d.setFloat32(4, -2, true); }, 8) },
    { dtype: 'float32', shape: [2], data: new Float32Array([1.5, -2]) }],
  ['DOUBLE', { dataType: 11, dims: [2], doubleData: [0.1, 1e300] },
    { dataType: 11, dims: [2], rawData: bytesOf((d) => { d.setFloat64(0, 0.1, true); d.setFloat64(8, 1e300, true); }, 16) },
    { dtype: 'float32', shape: [2], data: new Float32Array([0.1, Infinity]) }],
  ['FLOAT16', { dataType: 10, dims: [4], int32Data: [0x3c00, 0xc000, 0x7c00, 0x0001] },
    { dataType: 10, dims: [4], rawData: new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c, 0x01, 0x00]) },
    { dtype: 'float32', shape: [4], data: new Float32Array([1, -2, Infinity, 2 ** -24]) }],
  ['BFLOAT16', { dataType: 16, dims: [2], int32Data: [0x3f80, 0xc040] },
    { dataType: 16, dims: [2], rawData: new Uint8Array([0x80, 0x3f, 0x40, 0xc0]) },
    { dtype: 'float32', shape: [2], data: new Float32Array([1, -3]) }],
  ['INT8', { dataType: 3, dims: [2], int32Data: [-128, 127] },
    { dataType: 3, dims: [2], rawData: new Uint8Array([0x80, 0x7f]) },
    { dtype: 'int32', shape: [2], data: new Int32Array([-128, 127]) }],
  ['UINT8', { dataType: 2, dims: [2], int32Data: [255, 0] },
    { dataType: 2, dims: [2], rawData: new Uint8Array([255, 0]) },
    { dtype: 'int32', shape: [2], data: new Int32Array([255, 0]) }],
  ['INT16', { dataType: 5, dims: [2], int32Data: [-32768, 5] },
    { dataType: 5, dims: [2], rawData: new Uint8Array([0x00, 0x80, 5, 0]) },
    { dtype: 'int32', shape: [2], data: new Int32Array([-32768, 5]) }],
  ['UINT16', { dataType: 4, dims: [1], int32Data: [65535] },
    { dataType: 4, dims: [1], rawData: new Uint8Array([0xff, 0xff]) },
    { dtype: 'int32', shape: [1], data: new Int32Array([65535]) }],
  ['INT32', { dataType: 6, dims: [2], int32Data: [-1, 2147483647] },
    { dataType: 6, dims: [2], rawData: bytesOf((d) => { d.setInt32(0, -1, true); d.setInt32(4, 2147483647, true); }, 8) },
    { dtype: 'int32', shape: [2], data: new Int32Array([-1, 2147483647]) }],
  ['INT64', { dataType: 7, dims: [2], int64Data: [-1, { low: -1, high: 0x7fffffff, unsigned: false } as never] },
    { dataType: 7, dims: [2], rawData: bytesOf((d) => { d.setBigInt64(0, -1n, true); d.setBigInt64(8, 2n ** 63n - 1n, true); }, 16) },
    { dtype: 'int64', shape: [2], data: new BigInt64Array([-1n, 2n ** 63n - 1n]) }],
  ['UINT32', { dataType: 12, dims: [1], uint64Data: [4294967295] },
    { dataType: 12, dims: [1], rawData: new Uint8Array([0xff, 0xff, 0xff, 0xff]) },
    { dtype: 'int64', shape: [1], data: new BigInt64Array([4294967295n]) }],
  ['UINT64 (saturating beyond int64)', { dataType: 13, dims: [2], uint64Data: [7, { low: -1, high: -1, unsigned: true } as never] },
    { dataType: 13, dims: [2], rawData: bytesOf((d) => { d.setBigUint64(0, 7n, true); d.setBigUint64(8, 2n ** 64n - 1n, true); }, 16) },
    { dtype: 'int64', shape: [2], data: new BigInt64Array([7n, 2n ** 63n - 1n]) }],
  ['BOOL', { dataType: 9, dims: [3], int32Data: [1, 0, 5] },
    { dataType: 9, dims: [3], rawData: new Uint8Array([1, 0, 5]) },
    { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) }],
];

describe('element types', () => {
  it.each(CASES)('%s from typed fields', (_, typed, __, expected) => {
    expect(importTensor(typed)).toEqual(expected);
  });
  it.each(CASES)('%s from raw_data', (_, __, raw, expected) => {
    expect(importTensor(raw)).toEqual(expected);
  });
  it.each(CASES)('%s from raw_data at an odd offset', (_, __, raw, expected) => {
    const bytes = raw.rawData!;
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeTensor({ ...raw, rawData: shifted.subarray(1) }, 't', noExternal)).toEqual(expected);
  });

  it.each([[8, 'string'], [14, 'complex64'], [15, 'complex128'], [17, 'float8e4m3fn'], [0, 'undefined'], [99, 'unknown type 99']])(
    'refuses type %i (%s) naming the tensor', (dataType, name) => {
      expect(() => importTensor({ dataType, dims: [1] })).toThrow(
        new FreightError(`(in-memory model): initializer "t" has element type ${name}, which freight does not support.`),
      );
    },
  );
});

describe('data length', () => {
  it('refuses too few or too many typed values', () => {
    expect(() => importTensor({ dataType: 1, dims: [2, 2], floatData: [1, 2, 3] })).toThrow(
      'initializer "t" has 3 values in float_data but its shape [2,2] needs 4 values.',
    );
    expect(() => importTensor({ dataType: 7, dims: [1], int64Data: [1, 2] })).toThrow('2 values in int64_data');
  });
  it('refuses raw_data of the wrong size', () => {
    expect(() => importTensor({ dataType: 1, dims: [3], rawData: new Uint8Array(8) })).toThrow(
      'initializer "t" has 8 bytes of raw_data but its shape [3] of float needs 12.',
    );
  });
  it('refuses a tensor without data, or with its data in the wrong field', () => {
    expect(() => importTensor({ dataType: 1, dims: [1] })).toThrow('initializer "t" has no data but its shape [1] needs 1 values.');
    expect(() => importTensor({ dataType: 1, dims: [1], int32Data: [1] })).toThrow('has no data');
  });
  it('accepts an empty tensor without data', () => {
    expect(importTensor({ dataType: 1, dims: [0, 4] })).toEqual({ dtype: 'float32', shape: [0, 4], data: new Float32Array(0) });
  });
  it('refuses negative and huge dims before allocating', () => {
    expect(() => importTensor({ dataType: 1, dims: [-1] })).toThrow('initializer "t" has dimension -1 in its shape');
    expect(() => importTensor({ dataType: 1, dims: [65536, 65536] })).toThrow('more than 2147483648 elements');
    expect(() => importTensor({ dataType: 1, dims: [2 ** 40] })).toThrow('has dimension 1099511627776');
  });
  it('refuses segments and unknown data locations', () => {
    expect(() => importTensor({ dataType: 1, dims: [1], floatData: [1], segment: { begin: 0, end: 1 } })).toThrow('stored in segments');
    expect(() => importTensor({ dataType: 1, dims: [1], floatData: [1], dataLocation: 7 as never })).toThrow('unknown data_location 7');
  });
});
