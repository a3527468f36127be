// ArgMax and ArgMin: the int64 position of the extreme along one axis. Lowered as two reductions
// over that axis: the extreme value into a transient, then the smallest (or, with
// select_last_index, the largest) position whose value equals it.

import { FreightError } from '../../errors.js';
import { bin, c, read, sel, v } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { normalizeAxis, requireDtype, requireInput } from '../util.js';

import { reductionGroups } from './reduce-groups.js';
import { reducedShape, reductionSpace } from './reduction-space.js';

export interface ArgExtremeAttrs {
  readonly axis: number;
  readonly keepdims: boolean;
  readonly selectLast: boolean;
}

function argExtreme(type: 'ArgMax' | 'ArgMin'): OpDef<ArgExtremeAttrs> {
  const isMax = type === 'ArgMax';
  const better = isMax ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  return {
    type,
    resolve(ctx) {
      const x = requireInput(ctx, 0, 'data');
      const axis = normalizeAxis(ctx.int('axis', 0), x.shape.length);
      if (x.shape[axis] === 0) throw new FreightError(`axis ${axis} has size 0, so there is no position to return`);
      return {
        attrs: { axis, keepdims: ctx.int('keepdims', 1) !== 0, selectLast: ctx.int('select_last_index', 0) !== 0 },
      };
    },
    infer(attrs, [x]): ValueInfo[] {
      requireDtype(x!, ['float32', 'int32', 'int64'], 'data');
      return [{ dtype: 'int64', shape: reducedShape(x!.shape, [attrs.axis], attrs.keepdims) }];
    },
    reference(attrs, [x], [out]): Tensor[] {
      const xs = toNumbers(x!);
      // Each group lists its elements in order along the axis, so position k is the index.
      const positions = reductionGroups(x!.shape, [attrs.axis]).map((g) => {
        let best = 0;
        for (let k = 1; k < g.length; k++) {
          const a = xs[g[k]];
          const b = xs[g[best]];
          if (better(a, b) || (attrs.selectLast && a === b)) best = k;
        }
        return best;
      });
      return [fromNumbers('int64', out.shape, positions)];
    },
    lower(ctx, attrs) {
      const x = ctx.input(0);
      const out = ctx.output(0);
      const space = reductionSpace(x.shape, [attrs.axis]);
      const extreme = ctx.transient(x.dtype, reducedShape(x.shape, [attrs.axis], true), isMax ? 'max' : 'min');
      ctx.map({
        dims: space.dims,
        reads: [{ buffer: x.name, index: space.full }],
        body: read(0),
        write: { buffer: extreme.name, index: space.kept, wcr: isMax ? 'max' : 'min' },
      });
      // Positions that do not hold the extreme contribute the wcr's identity.
      const wcr = attrs.selectLast ? 'max' : 'min';
      ctx.map({
        dims: space.dims,
        reads: [{ buffer: x.name, index: space.full }, { buffer: extreme.name, index: space.kept }],
        body: sel(bin('eq', read(0), read(1)), v(`d${attrs.axis}`), c(attrs.selectLast ? -Infinity : Infinity)),
        write: { buffer: out.name, index: attrs.keepdims ? space.kept : space.dropped, wcr },
      });
    },
  };
}

export const argExtremes: readonly OpDef[] = [argExtreme('ArgMax'), argExtreme('ArgMin')];
