// Gather along one axis. out[a.., i.., b..] = data[a.., indices[i..], b..]: the index into the
// data is indirect, a value read through the indices memlet, with negative indices counted from
// the end. A constant scalar index (the exporter's Gather(Shape(x), 0)) becomes an attribute,
// so that read is affine.

import { FreightError } from '../../errors.js';
import { add, bin, c, read, sel, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { elementAt, formatShape, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, normalizeAxis, varsOf } from '../util.js';
import { checkIndexDtype, need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface GatherAttrs {
  readonly axis: number;
  /** A constant scalar index moved out of the indices input; null when indices is read. */
  readonly index: number | null;
}

/** `i` as a position in an axis of size `d`: negative values count from the end. */
export function fromEnd(i: Expr, d: number): Expr {
  return sel(bin('lt', i, c(0)), add(i, c(d)), i);
}

/** The same on a number, refusing positions outside [-d, d). */
export function checkedIndex(i: number, d: number, what: string): number {
  if (!(i >= -d && i < d)) throw new FreightError(`${what} ${i} is out of range for an axis of size ${d}`);
  return i < 0 ? i + d : i;
}

export const gather: OpDef<GatherAttrs> = {
  type: 'Gather',
  resolve(ctx) {
    const axis = ctx.int('axis', 0);
    const indices = ctx.constant(1);
    if (indices && indices.shape.length === 0 && (indices.dtype === 'int64' || indices.dtype === 'int32')) {
      return { attrs: { axis, index: elementAt(indices, 0) }, consumed: [1] };
    }
    return { attrs: { axis, index: null } };
  },
  infer({ axis, index }, inputs): ValueInfo[] {
    const data = need(inputs, 0, 'data');
    if (data.shape.length === 0) throw new FreightError('it cannot gather from a scalar (rank 0)');
    const a = normalizeAxis(axis, data.shape.length);
    let indexShape: readonly number[] = [];
    if (index === null) {
      const indices = need(inputs, 1, 'indices');
      checkIndexDtype(indices, 'indices');
      indexShape = indices.shape;
    } else {
      checkedIndex(index, data.shape[a], `index`);
    }
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, a), ...indexShape, ...data.shape.slice(a + 1)] }];
  },
  reference({ axis, index }, [data, indices], [out]): Tensor[] {
    const x = data!;
    const a = normalizeAxis(axis, x.shape.length);
    const d = x.shape[a];
    const ids = index === null ? toNumbers(indices!) : [index];
    const q = index === null ? indices!.shape.length : 0;
    const idsShape = index === null ? indices!.shape : [];
    return [pick(x, out.shape, (idx) => {
      const at = checkedIndex(ids[flatIndex(idsShape, idx.slice(a, a + q))], d, `index into ${formatShape(x.shape)} on axis ${a}:`);
      return flatIndex(x.shape, [...idx.slice(0, a), at, ...idx.slice(a + q)]);
    })];
  },
  lower(ctx, { axis, index }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const a = normalizeAxis(axis, x.shape.length);
    const dims = dimsOf(out.shape);
    const vars = varsOf(dims);
    const q = index === null ? ctx.input(1).shape.length : 0;
    const at = index === null ? fromEnd(read(1), x.shape[a]) : c(index < 0 ? index + x.shape[a] : index);
    const reads = [{ buffer: x.name, index: [...vars.slice(0, a), at, ...vars.slice(a + q)] }];
    if (index === null) reads.push({ buffer: ctx.input(1).name, index: vars.slice(a, a + q) });
    ctx.map({ dims, reads, body: read(0), write: { buffer: out.name, index: vars } });
  },
};
