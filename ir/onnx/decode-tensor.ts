// Reads an ONNX TensorProto into a freight Tensor: from its typed fields, its raw_data
// (little-endian) or external data, converted to freight's dtypes, with the number of values
// checked against the shape before anything large is allocated.

import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import { formatShape, type Tensor, type TensorData } from '../tensor.js';
import { elemType, elemTypeName } from './elem-types.js';
import { int64ToBigInt, type Int64 } from './proto.js';

/** The most elements freight accepts in one tensor (and in one declared shape). */
export const MAX_ELEMENTS = 2 ** 31;

/** Reads the external data of the tensor `what`: exactly `byteLength` bytes, or throws. */
export type ExternalReader = (
  what: string,
  entries: readonly pb.IStringStringEntryProto[],
  byteLength: number,
) => Uint8Array;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const INT64_MAX = 0x7fffffffffffffffn;

/** Dims of a tensor as numbers, checked: non-negative, at most MAX_ELEMENTS elements in all. */
export function decodeDims(dims: readonly Int64[] | null | undefined, what: string): { shape: number[]; size: number } {
  const shape: number[] = [];
  let size = 1;
  for (const raw of dims ?? []) {
    const d = int64ToBigInt(raw);
    if (d < 0n || d > BigInt(MAX_ELEMENTS)) {
      throw new FreightError(`${what} has dimension ${d} in its shape, which is negative or too large.`);
    }
    shape.push(Number(d));
    size *= Number(d);
    if (size > MAX_ELEMENTS) {
      throw new FreightError(`${what} has more than ${MAX_ELEMENTS} elements, more than freight accepts in one tensor.`);
    }
  }
  return { shape, size };
}

export function decodeTensor(t: pb.ITensorProto, what: string, readExternal: ExternalReader): Tensor {
  const code = t.dataType ?? 0;
  const et = elemType(code);
  if (et?.dtype === undefined) {
    throw new FreightError(`${what} has element type ${elemTypeName(code)}, which freight does not support.`);
  }
  const { shape, size } = decodeDims(t.dims, what);
  if (t.segment) throw new FreightError(`${what} is stored in segments, which freight does not read.`);
  const location = t.dataLocation ?? 0;
  let data: TensorData;
  if (location === 1) {
    data = fromRaw(code, readExternal(what, t.externalData ?? [], size * et.bytes), size);
  } else if (location !== 0) {
    throw new FreightError(`${what} has an unknown data_location ${location}.`);
  } else if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== size * et.bytes) {
      throw new FreightError(
        `${what} has ${t.rawData.length} bytes of raw_data but its shape ${formatShape(shape)} of ${et.name} needs ${size * et.bytes}.`,
      );
    }
    data = fromRaw(code, t.rawData, size);
  } else {
    data = fromFields(code, t, size, what, shape);
  }
  return { dtype: et.dtype, shape, data };
}

/** Elements from little-endian bytes (length already checked). */
function fromRaw(code: number, bytes: Uint8Array, n: number): TensorData {
  // Typed arrays need aligned offsets, and a view would keep the whole file alive: copy unless
  // the bytes already own their buffer (external data reads do).
  // (Buffer#slice would not copy, hence the explicit copy.)
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : copyBytes(bytes);
  const buf = own.buffer as ArrayBuffer;
  const dv = new DataView(buf, 0, own.byteLength);
  switch (code) {
    case 1: {
      if (LITTLE_ENDIAN) return new Float32Array(buf, 0, n);
      return mapFloat(n, (i) => dv.getFloat32(i * 4, true));
    }
    case 6: {
      if (LITTLE_ENDIAN) return new Int32Array(buf, 0, n);
      return mapInt(n, (i) => dv.getInt32(i * 4, true));
    }
    case 7: {
      if (LITTLE_ENDIAN) return new BigInt64Array(buf, 0, n);
      return mapBig(n, (i) => dv.getBigInt64(i * 8, true));
    }
    case 2: return mapInt(n, (i) => own[i]);
    case 3: return mapInt(n, (i) => dv.getInt8(i));
    case 4: return mapInt(n, (i) => dv.getUint16(i * 2, true));
    case 5: return mapInt(n, (i) => dv.getInt16(i * 2, true));
    case 9: return mapBool(n, (i) => own[i]);
    case 10: return mapFloat(n, (i) => halfToFloat(dv.getUint16(i * 2, true)));
    case 16: return mapFloat(n, (i) => bfloat16ToFloat(dv.getUint16(i * 2, true)));
    case 11: return mapFloat(n, (i) => dv.getFloat64(i * 8, true));
    case 12: return mapBig(n, (i) => BigInt(dv.getUint32(i * 4, true)));
    case 13: return mapBig(n, (i) => saturate(dv.getBigUint64(i * 8, true)));
    default: throw new Error(`fromRaw: element type ${code} has no dtype`);
  }
}

/** Elements from the typed repeated fields that ONNX defines for each element type. */
function fromFields(code: number, t: pb.ITensorProto, n: number, what: string, shape: number[]): TensorData {
  const take = <T>(field: string, values: readonly T[] | null | undefined): readonly T[] => {
    const got = values?.length ?? 0;
    if (got !== n) {
      const detail = got === 0 ? 'no data' : `${got} values in ${field}`;
      throw new FreightError(`${what} has ${detail} but its shape ${formatShape(shape)} needs ${n} values.`);
    }
    return values ?? [];
  };
  switch (code) {
    case 1: {
      const v = take('float_data', t.floatData);
      return mapFloat(n, (i) => v[i]);
    }
    case 2: case 3: case 4: case 5: case 6: {
      const v = take('int32_data', t.int32Data);
      return mapInt(n, (i) => v[i]);
    }
    case 9: {
      const v = take('int32_data', t.int32Data);
      return mapBool(n, (i) => v[i]);
    }
    case 10: {
      const v = take('int32_data', t.int32Data);
      return mapFloat(n, (i) => halfToFloat(v[i] & 0xffff));
    }
    case 16: {
      const v = take('int32_data', t.int32Data);
      return mapFloat(n, (i) => bfloat16ToFloat(v[i] & 0xffff));
    }
    case 7: {
      const v = take('int64_data', t.int64Data);
      return mapBig(n, (i) => BigInt.asIntN(64, int64ToBigInt(v[i])));
    }
    case 11: {
      const v = take('double_data', t.doubleData);
      return mapFloat(n, (i) => v[i]);
    }
    case 12: case 13: {
      const v = take('uint64_data', t.uint64Data);
      return mapBig(n, (i) => saturate(BigInt.asUintN(64, int64ToBigInt(v[i]))));
    }
    default: throw new Error(`fromFields: element type ${code} has no dtype`);
  }
}

function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function mapFloat(n: number, f: (i: number) => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

function mapInt(n: number, f: (i: number) => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

function mapBool(n: number, f: (i: number) => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i) !== 0 ? 1 : 0;
  return out;
}

function mapBig(n: number, f: (i: number) => bigint): BigInt64Array {
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

/** uint64 values beyond int64 would turn negative in a BigInt64Array; clamp them instead. */
function saturate(u: bigint): bigint {
  return u > INT64_MAX ? INT64_MAX : u;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const scratch = new DataView(new ArrayBuffer(4));

export function bfloat16ToFloat(h: number): number {
  scratch.setUint32(0, h << 16);
  return scratch.getFloat32(0);
}
