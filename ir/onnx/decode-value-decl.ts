// Reads a graph input or output declaration (ValueInfoProto) into a ValueDecl: its dtype (or the
// ONNX type name when freight cannot hold it) and its declared dims (number, symbol, or unknown).

import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { DeclaredDim, ValueDecl } from '../graph.js';
import { elemType, elemTypeName } from './elem-types.js';
import { MAX_ELEMENTS } from './decode-tensor.js';
import { int64ToBigInt } from './proto.js';

export function decodeValueDecl(v: pb.IValueInfoProto, what: string): ValueDecl {
  const name = v.name ?? '';
  if (name === '') throw new FreightError(`${what} has no name.`);
  const type = v.type;
  if (!type) return { name, dtype: 'undefined', shape: null };
  const tensor = type.tensorType;
  if (!tensor) return { name, dtype: otherTypeName(type), shape: null };
  const code = tensor.elemType ?? 0;
  const dtype = elemType(code)?.dtype ?? elemTypeName(code);
  if (!tensor.shape) return { name, dtype, shape: null };
  const shape = (tensor.shape.dim ?? []).map((d, i) => decodeDim(d, `${what} "${name}"`, i));
  return { name, dtype, shape };
}

function decodeDim(d: pb.TensorShapeProto.IDimension, what: string, axis: number): DeclaredDim {
  if (d.dimValue !== null && d.dimValue !== undefined) {
    const n = int64ToBigInt(d.dimValue);
    // Some exporters write -1 for "unknown"; read it as such.
    if (n < 0n) return null;
    if (n > BigInt(MAX_ELEMENTS)) throw new FreightError(`${what} declares dimension ${n} at axis ${axis}, which is too large.`);
    return Number(n);
  }
  if (d.dimParam !== null && d.dimParam !== undefined && d.dimParam !== '') return d.dimParam;
  return null;
}

function otherTypeName(type: pb.ITypeProto): string {
  if (type.sequenceType) return 'sequence';
  if (type.mapType) return 'map';
  if (type.optionalType) return 'optional';
  if (type.sparseTensorType) return 'sparse_tensor';
  return 'undefined';
}
