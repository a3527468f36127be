// Writes a RawModel back to ONNX: a normalized model becomes an opset-21 model that other tools
// (ONNX Runtime, Netron) can run or show. Used by the tests that check normalization against
// ONNX Runtime, and handy for looking at what the importer made of a model.

import type { Attribute, RawModel } from '../graph.js';
import { float, floats, type AttrValue } from './attribute-value.js';
import { OnnxBuilder } from './builder.js';
import { elemTypeOfName } from './elem-types.js';

export function writeRawModel(model: RawModel, opset = 21): Uint8Array {
  const g = model.graph;
  // A RawModel keeps no opset versions of other domains: their nodes are written at version 1.
  const domains = Object.fromEntries([...new Set(g.nodes.map((n) => n.domain))].filter((d) => d !== '').map((d) => [d, 1]));
  const b = new OnnxBuilder({ opset, producer: model.producer, graphName: g.name, domains });
  for (const v of g.inputs) {
    if (elemTypeOfName(v.dtype) === undefined) throw new Error(`writeRawModel: input "${v.name}" has type ${v.dtype}`);
    b.input(v.name, v.dtype, v.shape ?? undefined);
  }
  for (const [name, t] of g.initializers) b.initializer(name, t);
  for (const n of g.nodes) {
    const attrs: Record<string, AttrValue> = {};
    for (const [k, a] of Object.entries(n.attrs)) attrs[k] = attrValue(a, `${n.name}.${k}`);
    b.node(n.op, n.inputs, attrs, { name: n.name, outputs: n.outputs, domain: n.domain });
  }
  for (const v of g.outputs) {
    if (elemTypeOfName(v.dtype) === undefined) b.output(v.name);
    else b.output(v.name, v.dtype, v.shape ?? undefined);
  }
  return b.encode();
}

/** (An empty strings or tensors list comes back as an empty INTS list: JS values cannot tell them apart.) */
function attrValue(a: Attribute, where: string): AttrValue {
  switch (a.kind) {
    case 'float': return float(a.value);
    case 'floats': return floats(a.value);
    case 'int': case 'ints': case 'string': case 'strings': case 'tensor': case 'tensors': return a.value;
    default: throw new Error(`writeRawModel: attribute ${where} is a ${a.kind}, whose value the importer does not keep`);
  }
}
