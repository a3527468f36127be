// Split along one axis into pieces whose sizes come from the constant split input, from
// num_outputs (opset 18: equal chunks of ceil(n / num_outputs), the last one smaller), or from
// the number of outputs (equal pieces). Lowered piecewise: one map per output, reading the
// input at the piece's offset.

import { FreightError } from '../../errors.js';
import { add, c, read } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, sizeOf, zeros, type Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { dimsOf, normalizeAxis, requireInput, varsOf } from '../util.js';
import { optionalIntList } from './inputs.js';
import { writable } from './pick.js';

interface SplitAttrs {
  readonly axis: number;
  /** Size of every output along the axis. */
  readonly sizes: readonly number[];
}

function resolveSplit(ctx: ResolveContext): { attrs: SplitAttrs; consumed: number[] } {
  const x = requireInput(ctx, 0, 'input');
  if (x.shape.length === 0) throw new FreightError('it cannot split a scalar (rank 0)');
  const axis = normalizeAxis(ctx.int('axis', 0), x.shape.length);
  const n = x.shape[axis];
  const outputs = ctx.node.outputs.length;
  const given = optionalIntList(ctx, 1, 'split');
  const numOutputs = ctx.attr('num_outputs') ? ctx.int('num_outputs') : undefined;
  if (given && numOutputs !== undefined) throw new FreightError('it has both a split input and num_outputs; give one');
  let sizes: number[];
  if (given) {
    sizes = given;
    if (sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== n) {
      throw new FreightError(`its split [${sizes.join(',')}] does not add up to ${n}, the size of axis ${axis} of ${formatShape(x.shape)}`);
    }
  } else if (numOutputs !== undefined) {
    if (numOutputs < 1) throw new FreightError(`num_outputs ${numOutputs} must be at least 1`);
    const chunk = Math.ceil(n / numOutputs);
    sizes = Array.from({ length: numOutputs }, (_, i) => Math.max(0, Math.min(chunk, n - i * chunk)));
    if (numOutputs > 1 && n - (numOutputs - 1) * chunk <= 0 && n > 0) {
      throw new FreightError(`axis ${axis} of size ${n} cannot be split into ${numOutputs} chunks of ${chunk} with a smaller last one`);
    }
  } else {
    if (n % outputs !== 0) {
      throw new FreightError(`axis ${axis} of size ${n} does not split evenly into ${outputs} outputs; give a split input`);
    }
    sizes = new Array<number>(outputs).fill(n / outputs);
  }
  if (sizes.length !== outputs) {
    throw new FreightError(`it makes ${sizes.length} pieces, but the node has ${outputs} outputs`);
  }
  return { attrs: { axis, sizes }, consumed: [1] };
}

export const split: OpDef<SplitAttrs> = {
  type: 'Split',
  resolve: resolveSplit,
  infer({ axis, sizes }, [x]): ValueInfo[] {
    return sizes.map((s) => ({ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i === axis ? s : d)) }));
  },
  reference({ axis, sizes }, [x]): Tensor[] {
    // The input is `outer` rows; each row is the pieces' blocks (size·inner elements) in turn.
    const outer = sizeOf(x!.shape.slice(0, axis));
    const inner = sizeOf(x!.shape.slice(axis + 1));
    const row = x!.shape[axis] * inner;
    let offset = 0;
    // Shapes come from the attributes: an omitted output has no ValueInfo.
    return sizes.map((size) => {
      const piece = zeros(x!.dtype, x!.shape.map((d, i) => (i === axis ? size : d)));
      const dst = writable(piece);
      const block = size * inner;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < block; j++) dst[o * block + j] = x!.data[o * row + offset + j];
      }
      offset += block;
      return piece;
    });
  },
  lower(ctx, { axis, sizes }) {
    const x = ctx.input(0);
    let offset = 0;
    sizes.forEach((size, k) => {
      if (ctx.node.outputs[k]) {
        const out = ctx.output(k);
        if (sizeOf(out.shape) > 0) {
          const dims = dimsOf(out.shape);
          const index = varsOf(dims);
          const from = index.map((e, i) => (i === axis ? add(e, c(offset)) : e));
          ctx.map({ dims, reads: [{ buffer: x.name, index: from }], body: read(0), write: { buffer: out.name, index } });
        }
      }
      offset += size;
    });
  },
};
