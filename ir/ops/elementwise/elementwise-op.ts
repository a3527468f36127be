// The shape shared by most elementwise operators, as one factory: inputs broadcast together, one
// output element from the input elements at the same (broadcast) position. A spec gives the
// dtype rule, the reference's scalar function and the lowering's body separately, so the two
// oracles stay independent: `scalar` is plain JavaScript, `body` an Expr of the map.

import { FreightError } from '../../errors.js';
import { read, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { DType, Shape } from '../../tensor.js';
import type { BufferRef, OpDef, ResolveContext, Resolved } from '../op.js';
import { broadcastShapes, elementwiseMap } from '../util.js';
import { broadcastEval } from './broadcast-eval.js';

/** Input values aligned with ONNX positions; undefined where the node reads no input. */
export type Inputs<T> = readonly (T | undefined)[];

export interface ElementwiseSpec<A> {
  readonly type: string;
  /** Input positions: the first `min` are required, at most `max` exist (Infinity: variadic, all required). */
  readonly arity: readonly [min: number, max: number];
  /** Attributes and consumed constant inputs; default: no attributes. */
  resolve?(ctx: ResolveContext): Resolved<A>;
  /** Checks the input dtypes (throwing FreightError) and gives the output dtype. */
  dtype(attrs: A, inputs: Inputs<ValueInfo>): DType;
  /** The output shape; default: the broadcast of every input read. */
  shape?(attrs: A, inputs: Inputs<ValueInfo>): Shape;
  /** Reference: the output element from the input elements (NaN where absent), in float64. */
  scalar(attrs: A, out: DType, inputs: Inputs<ValueInfo>): (xs: readonly number[]) => number;
  /** Lowering: the map's body from the reads of the inputs (undefined where absent). */
  body(attrs: A, reads: Inputs<Expr>, out: DType): Expr;
}

export function elementwiseOp<A = Record<string, never>>(spec: ElementwiseSpec<A>): OpDef<A> {
  const shapeOf = (attrs: A, inputs: Inputs<ValueInfo>): Shape =>
    spec.shape?.(attrs, inputs) ?? broadcastShapes(inputs.filter((x): x is ValueInfo => x !== undefined).map((x) => x.shape));
  return {
    type: spec.type,
    resolve(ctx) {
      checkArity(ctx, spec.arity);
      return spec.resolve?.(ctx) ?? { attrs: {} as A };
    },
    infer(attrs, inputs) {
      return [{ dtype: spec.dtype(attrs, inputs), shape: [...shapeOf(attrs, inputs)] }];
    },
    reference(attrs, inputs, [out]) {
      const infos = inputs.map((t) => t && { dtype: t.dtype, shape: t.shape });
      return [broadcastEval(out.dtype, out.shape, inputs, spec.scalar(attrs, out.dtype, infos))];
    },
    lower(ctx, attrs) {
      const out = ctx.output(0);
      const positions = ctx.node.inputs.map((_, i) => ctx.optionalInput(i));
      const present = positions.filter((b): b is BufferRef => b !== undefined);
      // Memlet k reads the k-th present input.
      let k = 0;
      const reads = positions.map((b) => (b ? read(k++) : undefined));
      ctx.map(elementwiseMap(out, present, spec.body(attrs, reads, out.dtype)));
    },
  };
}

function checkArity(ctx: ResolveContext, [min, max]: readonly [number, number]): void {
  const n = ctx.inputCount;
  const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  if (n < min || n > max) throw new FreightError(`it has ${n} input${n === 1 ? '' : 's'}; the operator takes ${expected}`);
  // Variadic inputs have no optional positions.
  const required = max === Infinity ? n : min;
  for (let i = 0; i < required; i++) {
    if (!ctx.input(i)) throw new FreightError(`its required input ${i} is missing`);
  }
}
