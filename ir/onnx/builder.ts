// OnnxBuilder: writes ONNX models by hand, for freight's model zoo and tests. Nodes, initializers
// (raw_data, or external data for tests of the importer's checks), graph inputs and outputs with
// numeric or symbolic dims, opset imports; `encode()` gives the .onnx bytes. The builder checks
// names it generates, not the model: tests use it to write broken models too.
//
//   const b = new OnnxBuilder({ opset: 17 });
//   const x = b.input('x', 'float32', ['N', 3, 32, 32]);
//   const w = b.initializer('w', tensorOf('float32', [8, 3, 3, 3], data));
//   const y = b.op('Conv', [x, w], { pads: [1, 1, 1, 1] }, { name: 'conv1' });
//   b.output(b.op('LeakyRelu', [y], { alpha: float(1) }), 'float32', ['N', 8, 32, 32]);
//   const bytes = b.encode();

import type { onnx as pb } from 'onnx-proto';
import type { Tensor } from '../tensor.js';
import { encodeAttribute, float, floats, type AttrValues, type FloatValue, type FloatsValue } from './attribute-value.js';
import { elemTypeOfName } from './elem-types.js';
import { encodeTensor, rawBytes } from './encode-tensor.js';
import { onnx } from './proto.js';

export interface OnnxBuilderOptions {
  /** Opset of the default domain; default 17. */
  readonly opset?: number;
  /** producer_name; default 'freight'. */
  readonly producer?: string;
  /** Graph name; default 'main'. */
  readonly graphName?: string;
  /** IR version; default: the one released with the opset. */
  readonly irVersion?: number;
  /** Opset imports of other domains, e.g. { 'com.microsoft': 1 }. */
  readonly domains?: Readonly<Record<string, number>>;
}

/** A declared dimension: a size, a symbolic name (dim_param), or null for unknown. */
export type DimSpec = number | string | null;

export interface NodeOptions {
  /** Node name; default `${op}_${n}`. */
  readonly name?: string;
  /** Output names, or how many to generate; default one. '' omits an optional output. */
  readonly outputs?: number | readonly string[];
  readonly domain?: string;
}

export interface ExternalPlacement {
  /** File name relative to the model's folder, written as is (tests write bad ones on purpose). */
  readonly location: string;
  /** Byte offset in that file; default: after what the file holds so far. */
  readonly offset?: number;
  /** The length written into the model; default the true one. */
  readonly length?: number;
}

/** The IR version each ONNX release paired with its newest opset. */
const IR_OF_OPSET: Readonly<Record<number, number>> = {
  7: 3, 8: 3, 9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10,
};

export class OnnxBuilder {
  readonly opset: number;
  private readonly options: OnnxBuilderOptions;
  private readonly nodes: pb.INodeProto[] = [];
  private readonly initializers: pb.ITensorProto[] = [];
  private readonly inputs: pb.IValueInfoProto[] = [];
  private readonly outputs: pb.IValueInfoProto[] = [];
  private readonly external = new Map<string, { offset: number; bytes: Uint8Array }[]>();
  /** Names of values and nodes, so generated names never collide. */
  private readonly taken = new Set<string>();
  private counter = 0;

  constructor(options: OnnxBuilderOptions = {}) {
    this.options = options;
    this.opset = options.opset ?? 17;
  }

  /** Forces a FLOAT attribute: `{ alpha: b.float(1) }`. */
  float(value: number): FloatValue {
    return float(value);
  }

  /** Forces a FLOATS attribute. */
  floats(values: readonly number[]): FloatsValue {
    return floats(values);
  }

  /** Declares a graph input; returns its name. `dtype` is a freight dtype or an ONNX name ('float16'). */
  input(name: string, dtype: string, dims?: readonly DimSpec[]): string {
    this.taken.add(name);
    this.inputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  /** Declares a graph output; without dtype it is written untyped. Returns its name. */
  output(name: string, dtype?: string, dims?: readonly DimSpec[]): string {
    this.outputs.push(dtype === undefined ? { name } : valueInfo(name, dtype, dims));
    return name;
  }

  /** Adds an initializer as raw_data, or as external data placed in `options.external`. */
  initializer(name: string, t: Tensor, options: { external?: ExternalPlacement } = {}): string {
    this.taken.add(name);
    const proto = encodeTensor(name, t);
    const ext = options.external;
    if (ext !== undefined) {
      const bytes = proto.rawData as Uint8Array;
      const chunks = this.external.get(ext.location) ?? [];
      const offset = ext.offset ?? chunks.reduce((end, c) => Math.max(end, c.offset + c.bytes.length), 0);
      chunks.push({ offset, bytes });
      this.external.set(ext.location, chunks);
      delete proto.rawData;
      proto.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      proto.externalData = [
        { key: 'location', value: ext.location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(ext.length ?? bytes.length) },
      ];
    }
    this.initializers.push(proto);
    return name;
  }

  /** Adds a Constant node producing `t` under `name`; returns the name. */
  constant(name: string, t: Tensor): string {
    return this.op('Constant', [], { value: t }, { outputs: [name] });
  }

  /** Adds a node; returns its output names. */
  node(op: string, inputs: readonly string[], attrs: AttrValues = {}, options: NodeOptions = {}): string[] {
    const name = options.name ?? this.fresh(`${op}_${this.counter++}`);
    this.taken.add(name);
    const spec = options.outputs ?? 1;
    const outputs = typeof spec === 'number'
      ? Array.from({ length: spec }, (_, i) => this.fresh(spec === 1 ? `${name}_out` : `${name}_out${i}`))
      : [...spec];
    for (const o of outputs) this.taken.add(o);
    const attribute = Object.entries(attrs)
      .filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)
      .map(([k, v]) => encodeAttribute(k, v));
    this.nodes.push({ name, opType: op, domain: options.domain ?? '', input: [...inputs], output: outputs, attribute });
    return outputs;
  }

  /** Adds a node with one output (the common case); returns the output's name. */
  op(op: string, inputs: readonly string[], attrs: AttrValues = {}, options: NodeOptions = {}): string {
    return this.node(op, inputs, attrs, options)[0];
  }

  /** The contents of each external data file, by location, to write beside the model. */
  externalFiles(): ReadonlyMap<string, Uint8Array> {
    const files = new Map<string, Uint8Array>();
    for (const [location, chunks] of this.external) {
      const size = chunks.reduce((end, c) => Math.max(end, c.offset + c.bytes.length), 0);
      const file = new Uint8Array(size);
      for (const c of chunks) file.set(c.bytes, c.offset);
      files.set(location, file);
    }
    return files;
  }

  /** The model as a protobuf object, e.g. to alter by hand before encodeModel. */
  toProto(): pb.IModelProto {
    const domains = Object.entries(this.options.domains ?? {}).map(([domain, version]) => ({ domain, version }));
    return {
      irVersion: this.options.irVersion ?? IR_OF_OPSET[this.opset] ?? 10,
      producerName: this.options.producer ?? 'freight',
      opsetImport: [{ domain: '', version: this.opset }, ...domains],
      graph: {
        name: this.options.graphName ?? 'main',
        node: [...this.nodes],
        initializer: [...this.initializers],
        input: [...this.inputs],
        output: [...this.outputs],
      },
    };
  }

  encode(): Uint8Array {
    return encodeModel(this.toProto());
  }

  private fresh(base: string): string {
    let name = base;
    for (let k = 1; this.taken.has(name); k++) name = `${base}_${k}`;
    return name;
  }
}

/** The .onnx bytes of a model, as a plain Uint8Array of its own (not a Buffer from a shared pool). */
export function encodeModel(model: pb.IModelProto): Uint8Array {
  // Under Node protobufjs returns a Buffer, whose slice() is a view: an easy trap in tests that
  // copy and alter models.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/** A tensor's raw bytes as the builder writes them (for hand-made external data files). */
export { rawBytes };

function valueInfo(name: string, dtype: string, dims: readonly DimSpec[] | undefined): pb.IValueInfoProto {
  const elemType = elemTypeOfName(dtype);
  if (elemType === undefined) throw new Error(`OnnxBuilder: unknown element type "${dtype}" for "${name}"`);
  const shape = dims === undefined ? undefined : {
    dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
  };
  return { name, type: { tensorType: { elemType, shape } } };
}
