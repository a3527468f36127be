// What freight knows about one operator type: how to read its static parameters, infer its
// output types, execute it exactly (the reference), and lower it to maps with memlets.
//
// Errors: throw FreightError with a message about the operator's inputs or attributes
// ("axis 3 is out of range for rank 2"); the resolver prefixes it with the node's name and type.

import type { Attribute, Node, RawNode, ValueInfo } from '../graph.js';
import type { MapOp } from '../program.js';
import type { DType, Shape, Tensor } from '../tensor.js';

/** What `resolve` may ask about the node being resolved. */
export interface ResolveContext {
  readonly node: RawNode;
  /** Opset of the default domain (already normalized: newest operator forms). */
  readonly opset: number;
  /** Number of input positions (including omitted optional ones). */
  readonly inputCount: number;
  /** dtype and shape of input i; undefined when omitted. */
  input(i: number): ValueInfo | undefined;
  /** The compile-time value of input i, if it is a constant (initializer or folded). */
  constant(i: number): Tensor | undefined;
  /** Like `constant`, but throws an error saying that `what` must be a compile-time constant. */
  requireConstant(i: number, what: string): Tensor;
  attr(name: string): Attribute | undefined;
  int(name: string, fallback?: number): number;
  float(name: string, fallback?: number): number;
  string(name: string, fallback?: string): string;
  ints(name: string, fallback?: readonly number[]): number[];
  floats(name: string, fallback?: readonly number[]): number[];
}

export interface Resolved<A> {
  /** Static parameters: plain JSON-able data. */
  readonly attrs: A;
  /** Input positions whose constant value was moved into attrs; the node no longer reads them. */
  readonly consumed?: readonly number[];
}

/** A buffer as a lowering sees it. */
export interface BufferRef {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** What `lower` may do: emit maps into the node's kernel. */
export interface LowerContext {
  readonly node: Node;
  /** Input i (throws if absent). */
  input(i: number): BufferRef;
  /** Input i, or undefined when the node does not read it. */
  optionalInput(i: number): BufferRef | undefined;
  output(i: number): BufferRef;
  /** A buffer private to this kernel (e.g. Softmax's row maxima). */
  transient(dtype: DType, shape: Shape, hint: string): BufferRef;
  /** Appends a map to the node's kernel. */
  map(m: MapOp): void;
  /** The output holds exactly the input's elements in row-major order: no data moves. */
  alias(output: BufferRef, of: BufferRef): void;
}

export interface OpDef<A = any> {
  readonly type: string;
  resolve(ctx: ResolveContext): Resolved<A>;
  /** dtype and shape of each output; `inputs` aligned with ONNX positions (undefined = not read). */
  infer(attrs: A, inputs: readonly (ValueInfo | undefined)[]): ValueInfo[];
  /**
   * Output values computed from input shapes alone, when that is possible (Shape, Size).
   * Lets the resolver fold them although their input is only known at run time.
   */
  foldFromShapes?(attrs: A, inputs: readonly (ValueInfo | undefined)[]): Tensor[] | undefined;
  /** Exact execution, written plainly and independently of `lower`; float64 accumulation. */
  reference(attrs: A, inputs: readonly (Tensor | undefined)[], outputs: readonly ValueInfo[]): Tensor[];
  lower(ctx: LowerContext, attrs: A): void;
}
