// Plain JS values as ONNX attributes, for the builder: the attribute kind is read off the value.
// An integer number is an INT and a list of integers INTS, so a float that happens to be whole
// (LeakyRelu's alpha: 1) is written through `float(1)` / `floats([...])` or `{ float: 1 }`.

import type { onnx as pb } from 'onnx-proto';
import type { Tensor } from '../tensor.js';
import { encodeTensor } from './encode-tensor.js';
import { int64Field } from './proto.js';

export interface FloatValue { readonly float: number }
export interface FloatsValue { readonly floats: readonly number[] }

/** What an attribute can be given as; `undefined` leaves the attribute out. */
export type AttrValue =
  | number | bigint | boolean | string | Tensor | FloatValue | FloatsValue
  | readonly (number | bigint)[] | readonly string[] | readonly Tensor[];

export type AttrValues = Readonly<Record<string, AttrValue | undefined>>;

/** Forces a FLOAT attribute (for whole numbers, which would otherwise be INT). */
export const float = (value: number): FloatValue => ({ float: value });
/** Forces a FLOATS attribute. */
export const floats = (values: readonly number[]): FloatsValue => ({ floats: values });

const T = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9 } as const;
const utf8 = new TextEncoder();

export function encodeAttribute(name: string, v: AttrValue): pb.IAttributeProto {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: T.INT, i: int64Field(v) } : { name, type: T.FLOAT, f: v };
  }
  if (typeof v === 'bigint') return { name, type: T.INT, i: int64Field(v) };
  if (typeof v === 'boolean') return { name, type: T.INT, i: v ? 1 : 0 };
  if (typeof v === 'string') return { name, type: T.STRING, s: utf8.encode(v) };
  if (isArray(v)) return encodeList(name, v);
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: T.FLOATS, floats: [...v.floats] };
  return { name, type: T.TENSOR, t: encodeTensor('', v) };
}

function encodeList(name: string, v: readonly unknown[]): pb.IAttributeProto {
  // An empty list is written as INTS: axes, pads, perm... are the empty lists models have.
  if (v.length === 0) return { name, type: T.INTS, ints: [] };
  if (v.every((x) => typeof x === 'string')) return { name, type: T.STRINGS, strings: v.map((s) => utf8.encode(s)) };
  if (v.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
    if (v.every((x) => typeof x === 'bigint' || Number.isInteger(x))) {
      return { name, type: T.INTS, ints: v.map((x) => int64Field(x as number | bigint)) };
    }
    return { name, type: T.FLOATS, floats: v.map(Number) };
  }
  if (v.every((x) => typeof x === 'object' && x !== null && 'dtype' in x)) {
    return { name, type: T.TENSORS, tensors: (v as Tensor[]).map((t) => encodeTensor('', t)) };
  }
  throw new Error(`attribute "${name}": a list must hold only numbers, only strings or only tensors`);
}

function isArray(v: AttrValue): v is readonly (number | bigint)[] | readonly string[] | readonly Tensor[] {
  return Array.isArray(v);
}
