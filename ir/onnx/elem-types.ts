// ONNX tensor element types (TensorProto.DataType) and how each maps onto freight's dtypes.
// freight computes in float32 and integers, so wider or narrower types are converted on import:
// double/float16/bfloat16 to float32, small integers to int32, unsigned 32/64-bit to int64.

import type { DType } from '../tensor.js';

export interface ElemType {
  /** ONNX's lower-case name, as in `tensor(float16)`. */
  readonly name: string;
  /** The freight dtype it is read as; undefined: unsupported. */
  readonly dtype?: DType;
  /** Bytes per element in raw_data (0 where raw_data is not defined, e.g. string). */
  readonly bytes: number;
}

const ELEM_TYPES: Readonly<Record<number, ElemType>> = {
  0: { name: 'undefined', bytes: 0 },
  1: { name: 'float', dtype: 'float32', bytes: 4 },
  2: { name: 'uint8', dtype: 'int32', bytes: 1 },
  3: { name: 'int8', dtype: 'int32', bytes: 1 },
  4: { name: 'uint16', dtype: 'int32', bytes: 2 },
  5: { name: 'int16', dtype: 'int32', bytes: 2 },
  6: { name: 'int32', dtype: 'int32', bytes: 4 },
  7: { name: 'int64', dtype: 'int64', bytes: 8 },
  8: { name: 'string', bytes: 0 },
  9: { name: 'bool', dtype: 'bool', bytes: 1 },
  10: { name: 'float16', dtype: 'float32', bytes: 2 },
  11: { name: 'double', dtype: 'float32', bytes: 8 },
  12: { name: 'uint32', dtype: 'int64', bytes: 4 },
  13: { name: 'uint64', dtype: 'int64', bytes: 8 },
  14: { name: 'complex64', bytes: 8 },
  15: { name: 'complex128', bytes: 16 },
  16: { name: 'bfloat16', dtype: 'float32', bytes: 2 },
  17: { name: 'float8e4m3fn', bytes: 1 },
  18: { name: 'float8e4m3fnuz', bytes: 1 },
  19: { name: 'float8e5m2', bytes: 1 },
  20: { name: 'float8e5m2fnuz', bytes: 1 },
  21: { name: 'uint4', bytes: 0 },
  22: { name: 'int4', bytes: 0 },
  23: { name: 'float4e2m1', bytes: 0 },
};

/** The element type with ONNX code `code`, or undefined for a code ONNX does not define. */
export function elemType(code: number): ElemType | undefined {
  return Object.hasOwn(ELEM_TYPES, code) ? ELEM_TYPES[code] : undefined;
}

/** A readable name even for codes ONNX does not define. */
export function elemTypeName(code: number): string {
  return elemType(code)?.name ?? `unknown type ${code}`;
}

/** The freight dtype an ONNX element type is read as, or undefined when freight cannot. */
export function dtypeOfElemType(code: number): DType | undefined {
  return elemType(code)?.dtype;
}

/** The ONNX code freight writes for a dtype. */
export function elemTypeOfDtype(dtype: DType): number {
  switch (dtype) {
    case 'float32': return 1;
    case 'int64': return 7;
    case 'int32': return 6;
    case 'bool': return 9;
  }
}

/** The ONNX code for a type name ('float32' and the ONNX names such as 'float16' both work). */
export function elemTypeOfName(name: string): number | undefined {
  if (name === 'float32') return 1;
  if (name === 'float64') return 11;
  for (const [code, t] of Object.entries(ELEM_TYPES)) if (t.name === name) return Number(code);
  return undefined;
}
