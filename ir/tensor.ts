// Tensors: a dtype, a static shape and a row-major typed array. The one value type shared by the
// importer, both interpreters, the .npy reader/writer and the tests.

export type DType = 'float32' | 'int64' | 'int32' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'int64', 'int32', 'bool'];

/** Storage per dtype. int64 is kept exact (BigInt64Array); arithmetic reads it as numbers. */
export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array;

export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'float32': return 4;
    case 'int64': return 8;
    case 'int32': return 4;
    case 'bool': return 1;
  }
}

export function allocData(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int32': return new Int32Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

export function zeros(dtype: DType, shape: Shape): Tensor {
  return { dtype, shape: [...shape], data: allocData(dtype, sizeOf(shape)) };
}

/**
 * Builds a tensor from numbers, converting to the dtype's storage: float32 rounds, integers
 * truncate toward zero (as a C cast does), bool is `x !== 0` (NaN is true, as in C). NaN becomes 0
 * in integer dtypes.
 */
export function fromNumbers(dtype: DType, shape: Shape, values: ArrayLike<number>): Tensor {
  const n = values.length;
  if (n !== sizeOf(shape)) throw new Error(`fromNumbers: ${n} values for shape [${shape.join(',')}]`);
  const data = allocData(dtype, n);
  switch (dtype) {
    case 'float32':
      (data as Float32Array).set(values);
      break;
    case 'int64': {
      const d = data as BigInt64Array;
      for (let i = 0; i < n; i++) d[i] = toBigInt(values[i]);
      break;
    }
    case 'int32': {
      const d = data as Int32Array;
      for (let i = 0; i < n; i++) d[i] = Number.isFinite(values[i]) ? Math.trunc(values[i]) : 0;
      break;
    }
    case 'bool': {
      const d = data as Uint8Array;
      for (let i = 0; i < n; i++) d[i] = values[i] !== 0 ? 1 : 0;
      break;
    }
  }
  return { dtype, shape: [...shape], data };
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function toBigInt(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 9.223372036854776e18) return INT64_MAX;
  if (x <= -9.223372036854776e18) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

/** The elements as float64 numbers (int64 beyond 2^53 loses precision, as in any JS arithmetic). */
export function toNumbers(t: Tensor): Float64Array {
  const n = t.data.length;
  const out = new Float64Array(n);
  if (t.data instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) out[i] = Number(t.data[i]);
  } else {
    out.set(t.data);
  }
  return out;
}

/** Element i as a number. */
export function elementAt(t: Tensor, i: number): number {
  return Number(t.data[i]);
}

/** Integer elements as plain numbers, e.g. for shape and axes tensors. */
export function toIntArray(t: Tensor): number[] {
  return Array.from(toNumbers(t));
}

export function scalar(dtype: DType, value: number): Tensor {
  return fromNumbers(dtype, [], [value]);
}

export function tensorOf(dtype: DType, shape: Shape, values: ArrayLike<number>): Tensor {
  return fromNumbers(dtype, shape, values);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}
