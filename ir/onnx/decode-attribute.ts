// Reads an ONNX AttributeProto into freight's Attribute. Graph, sparse-tensor and type attributes
// are kept by kind only (no operator freight supports uses them). Models written before attributes
// carried a type (IR < 2) are read by looking at which field is present.

import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { Attribute, AttrKind } from '../graph.js';
import type { Tensor } from '../tensor.js';
import { int64ToNumber } from './proto.js';

const KIND_OF_TYPE: Readonly<Record<number, AttrKind>> = {
  1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 11: 'sparse_tensor', 13: 'type_proto',
  6: 'floats', 7: 'ints', 8: 'strings', 9: 'tensors', 10: 'graphs', 12: 'sparse_tensors', 14: 'type_protos',
};

/** Where each kind's value lives in the proto, in the order used to guess an untyped attribute. */
const FIELD_OF_KIND: readonly (readonly [AttrKind, keyof pb.IAttributeProto])[] = [
  ['tensor', 't'], ['graph', 'g'], ['sparse_tensor', 'sparseTensor'], ['type_proto', 'tp'],
  ['floats', 'floats'], ['ints', 'ints'], ['strings', 'strings'], ['tensors', 'tensors'],
  ['graphs', 'graphs'], ['sparse_tensors', 'sparseTensors'], ['type_protos', 'typeProtos'],
  ['string', 's'], ['int', 'i'], ['float', 'f'],
];

const utf8 = new TextDecoder('utf-8');

/** `what` names the attribute in errors, e.g. `attribute "axes" of node "sq1"`. */
export function decodeAttribute(
  a: pb.IAttributeProto,
  what: string,
  readTensor: (t: pb.ITensorProto, what: string) => Tensor,
): Attribute {
  const kind = kindOf(a, what);
  switch (kind) {
    case 'float': return { kind, value: a.f ?? 0 };
    case 'int': return { kind, value: int64ToNumber(a.i) };
    case 'string': return { kind, value: utf8.decode(a.s ?? new Uint8Array(0)) };
    case 'floats': return { kind, value: [...(a.floats ?? [])] };
    case 'ints': return { kind, value: (a.ints ?? []).map(int64ToNumber) };
    case 'strings': return { kind, value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case 'tensor': {
      if (!a.t) throw new FreightError(`${what} is a tensor attribute without a tensor.`);
      return { kind, value: readTensor(a.t, what) };
    }
    case 'tensors': return { kind, value: (a.tensors ?? []).map((t, i) => readTensor(t, `${what} (tensor ${i})`)) };
    default: return { kind, value: null };
  }
}

function kindOf(a: pb.IAttributeProto, what: string): AttrKind {
  const type = a.type ?? 0;
  if (type !== 0) {
    const kind = Object.hasOwn(KIND_OF_TYPE, type) ? KIND_OF_TYPE[type] : undefined;
    if (kind === undefined) throw new FreightError(`${what} has an unknown attribute type ${type}.`);
    return kind;
  }
  // Decoded protobufjs messages own exactly the fields that were on the wire.
  for (const [kind, field] of FIELD_OF_KIND) {
    if (!Object.hasOwn(a, field)) continue;
    const v = a[field];
    if (Array.isArray(v) && v.length === 0) continue;
    return kind;
  }
  throw new FreightError(`${what} has no type and no value.`);
}
