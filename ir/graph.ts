// The graph level of freight's IR, in two stages:
//  - RawModel: what the ONNX importer read, with opset differences already normalized to the
//    newest form of each operator (attributes that later became inputs are constant inputs).
//  - Graph: the resolved graph. Every value has a dtype and a static shape, static parameters of
//    each node (attributes and compile-time constant inputs) are in `attrs`, constants are folded,
//    dead nodes are gone, nodes are in topological order.

import type { DType, Shape, Tensor } from './tensor.js';

export type AttrKind =
  | 'float' | 'int' | 'string' | 'tensor' | 'graph' | 'sparse_tensor' | 'type_proto'
  | 'floats' | 'ints' | 'strings' | 'tensors' | 'graphs' | 'sparse_tensors' | 'type_protos';

/** An ONNX attribute. Graph, sparse and type attributes are kept only by kind (no op we support uses them). */
export type Attribute =
  | { readonly kind: 'float' | 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'floats' | 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'tensors'; readonly value: readonly Tensor[] }
  | { readonly kind: 'graph' | 'sparse_tensor' | 'type_proto' | 'graphs' | 'sparse_tensors' | 'type_protos'; readonly value: null };

/** A dimension as declared: a number, a symbolic name (dim_param), or unknown. */
export type DeclaredDim = number | string | null;

/** A graph input or output as declared in the model. `dtype` is the ONNX type name when unsupported. */
export interface ValueDecl {
  readonly name: string;
  readonly dtype: DType | string;
  /** null: the rank itself is unknown. */
  readonly shape: readonly DeclaredDim[] | null;
}

export interface RawNode {
  readonly name: string;
  readonly op: string;
  /** '' for the default ONNX domain. */
  readonly domain: string;
  /** Value names in ONNX positions; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, Attribute>>;
}

export interface RawGraph {
  readonly name: string;
  readonly nodes: readonly RawNode[];
  /** Graph inputs that are not initializers. */
  readonly inputs: readonly ValueDecl[];
  readonly outputs: readonly ValueDecl[];
  readonly initializers: ReadonlyMap<string, Tensor>;
}

export interface RawModel {
  /** Opset of the default ONNX domain. */
  readonly opset: number;
  readonly irVersion: number;
  readonly producer: string;
  readonly graph: RawGraph;
}

export interface ValueInfo {
  readonly dtype: DType;
  readonly shape: Shape;
}

/**
 * A resolved node. `inputs` keeps ONNX positions; '' marks an input that is absent or whose
 * constant value was moved into `attrs` (e.g. Reshape's shape). `attrs` is plain JSON-able data.
 */
export interface Node<A = Readonly<Record<string, unknown>>> {
  readonly name: string;
  readonly op: string;
  readonly attrs: A;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface Graph {
  readonly name: string;
  readonly opset: number;
  readonly producer: string;
  /** Names of the runtime inputs, in declaration order. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** dtype and static shape of every live value (inputs, constants, node outputs). */
  readonly values: ReadonlyMap<string, ValueInfo>;
  /** Compile-time values: initializers and folded results that are still used. */
  readonly constants: ReadonlyMap<string, Tensor>;
  /** Topological order. */
  readonly nodes: readonly Node[];
}
