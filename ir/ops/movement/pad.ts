// Pad (opset 19+): constant pads, optional constant axes, optional constant_value; modes
// constant (a guarded read that yields the pad value), edge (clamp), wrap (mod) and reflect
// (a triangle wave in abs/mod). Negative pads crop first, and the other modes then pad the
// cropped tensor, as ONNX Runtime does.

import { FreightError } from '../../errors.js';
import { bin, c, read, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { elementAt, formatShape, type Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { dimsOf, normalizeAxes, requireInput, varsOf } from '../util.js';
import { intList, optionalIntList } from './inputs.js';
import { axisSource, cropOf, padIndex, type PadMode } from './pad-index.js';
import { flatIndex, pick } from './pick.js';

interface PadAttrs {
  readonly mode: PadMode;
  /** Per input axis: elements added before and after (negative: removed). */
  readonly begins: readonly number[];
  readonly ends: readonly number[];
  /** The constant mode's value; null when it is read from the runtime constant_value input. */
  readonly value: number | null;
}

const MODES: readonly string[] = ['constant', 'reflect', 'edge', 'wrap'];

function resolvePad(ctx: ResolveContext): { attrs: PadAttrs; consumed: number[] } {
  const rank = requireInput(ctx, 0, 'data').shape.length;
  const mode = ctx.string('mode', 'constant');
  if (!MODES.includes(mode)) throw new FreightError(`mode '${mode}' is not one of ${MODES.join(', ')}`);
  const pads = intList(ctx.requireConstant(1, 'pads'), 'pads');
  const axes = normalizeAxes(optionalIntList(ctx, 3, 'axes') ?? Array.from({ length: rank }, (_, i) => i), rank);
  if (pads.length !== 2 * axes.length) {
    throw new FreightError(`its pads [${pads.join(',')}] need two entries for each of its ${axes.length} axes`);
  }
  const begins = new Array<number>(rank).fill(0);
  const ends = new Array<number>(rank).fill(0);
  axes.forEach((a, i) => { begins[a] = pads[i]; ends[a] = pads[i + axes.length]; });
  const consumed = [1, 3];
  let value: number | null = 0;
  if (ctx.input(2)) {
    const t = ctx.constant(2);
    if (t && t.data.length !== 1) throw new FreightError(`its constant_value must hold one element, not ${t.data.length}`);
    value = t ? elementAt(t, 0) : null;
    if (t) consumed.push(2);
  }
  return { attrs: { mode: mode as PadMode, begins, ends, value }, consumed };
}

export const pad: OpDef<PadAttrs> = {
  type: 'Pad',
  resolve: resolvePad,
  infer({ mode, begins, ends }, [x, , value]): ValueInfo[] {
    if (!x || x.shape.length !== begins.length) throw new FreightError('its data input changed rank after resolution');
    if (value && (value.dtype !== x.dtype || value.shape.reduce((a, b) => a * b, 1) !== 1)) {
      throw new FreightError(`its constant_value (${value.dtype} ${formatShape(value.shape)}) must be one ${x.dtype} element`);
    }
    const shape = x.shape.map((d, a) => {
      const n = d + begins[a] + ends[a];
      if (n < 0) throw new FreightError(`its pads remove more than the ${d} elements of axis ${a}`);
      const padded = Math.max(begins[a], 0) + Math.max(ends[a], 0) > 0;
      const { length } = cropOf(d, begins[a], ends[a]);
      if (mode !== 'constant' && padded && length === 0) {
        throw new FreightError(`mode '${mode}' cannot pad axis ${a}, which has no elements left to repeat`);
      }
      // A reflection repeats no edge element, so it cannot reach beyond length-1 (ONNX Runtime refuses too).
      const most = Math.max(begins[a], ends[a]);
      if (mode === 'reflect' && most > length - 1) {
        throw new FreightError(`mode 'reflect' pads axis ${a} by ${most}, but its ${length} elements allow at most ${length - 1}`);
      }
      return n;
    });
    return [{ dtype: x.dtype, shape }];
  },
  reference({ mode, begins, ends, value }, [x, , runtimeValue], [out]): Tensor[] {
    const table = out.shape.map((n, a) => Array.from({ length: n }, (_, o) => axisSource(mode, o, x!.shape[a], begins[a], ends[a])));
    const fill = value ?? elementAt(runtimeValue!, 0);
    return [pick(x!, out.shape, (idx) => {
      const src = idx.map((o, a) => table[a][o]);
      return src.some((s) => s < 0) ? -1 : flatIndex(x!.shape, src);
    }, fill)];
  },
  lower(ctx, { mode, begins, ends, value }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const dims = dimsOf(out.shape);
    const vars = varsOf(dims);
    const index = vars.map((o, a) => padIndex(mode, o, x.shape[a], begins[a], ends[a]));
    const write = { buffer: out.name, index: vars };
    if (mode !== 'constant' || value !== null) {
      ctx.map({ dims, reads: [{ buffer: x.name, index, pad: value ?? 0 }], body: read(0), write });
      return;
    }
    // A runtime pad value: choose between the (guarded) data read and the value by bounds.
    const inside = index.flatMap((i, a) => (begins[a] > 0 || ends[a] > 0 ? [bin('ge', i, c(0)), bin('lt', i, c(x.shape[a]))] : []));
    const all = inside.reduce<Expr>((p, q) => bin('and', p, q), c(1));
    const v = ctx.input(2);
    ctx.map({
      dims,
      reads: [{ buffer: x.name, index, pad: 0 }, { buffer: v.name, index: v.shape.map(() => c(0)) }],
      body: { k: 'sel', c: all, a: read(0), b: read(1) },
      write,
    });
  },
};
