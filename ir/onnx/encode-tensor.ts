// Writes a freight Tensor as an ONNX TensorProto with raw_data (little-endian), the form ONNX
// exporters use and the compact one.

import type { onnx as pb } from 'onnx-proto';
import type { Tensor } from '../tensor.js';
import { elemTypeOfDtype } from './elem-types.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeTensor(name: string, t: Tensor): pb.ITensorProto {
  return { name, dims: [...t.shape], dataType: elemTypeOfDtype(t.dtype), rawData: rawBytes(t) };
}

/** The tensor's elements as little-endian bytes (a copy). */
export function rawBytes(t: Tensor): Uint8Array {
  const d = t.data;
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
  if (LITTLE_ENDIAN || d.BYTES_PER_ELEMENT === 1) return bytes;
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < d.length; i++) {
    if (d instanceof Float32Array) dv.setFloat32(i * 4, d[i], true);
    else if (d instanceof Int32Array) dv.setInt32(i * 4, d[i], true);
    else if (d instanceof BigInt64Array) dv.setBigInt64(i * 8, d[i], true);
  }
  return bytes;
}
