// MaxPool (with its optional Indices output), AveragePool and LpPool over 1-D, 2-D, 3-D, …
// windows: kernel_shape, strides, dilations, pads or auto_pad, ceil_mode. This file reads the
// attributes and holds the reference (plain loops over every window's taps); pool-lower.ts
// lowers them to reduction maps.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, sizeOf, stridesOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { requireDtype, requireInput, unravel } from '../util.js';
import { requireImage } from './checks.js';
import { lowerPool } from './pool-lower.js';
import { readAutoPad, readPads, readPerAxis, resolveWindow, type Window } from './window.js';

export type PoolType = 'MaxPool' | 'AveragePool' | 'LpPool';

export interface PoolAttrs {
  readonly window: Window;
  /** AveragePool: the divisor counts padding (true) or only the input's elements (false). */
  readonly countIncludePad: boolean;
  /** LpPool's exponent. */
  readonly p: number;
  /** MaxPool's Indices: 0 flattens each plane row-major, 1 column-major. */
  readonly storageOrder: number;
}

function resolvePool(type: PoolType, ctx: ResolveContext): PoolAttrs {
  const x = requireInput(ctx, 0, 'X');
  requireImage(x, 'X');
  requireDtype(x, ['float32'], 'X');
  const inSizes = x.shape.slice(2);
  const axes = inSizes.length;
  const kernel = readPerAxis(ctx, 'kernel_shape', axes);
  const autoPad = readAutoPad(ctx);
  const pads = readPads(ctx, axes, autoPad);
  // ONNX Runtime refuses these; they would allow windows made of padding alone.
  if (pads.some((p, i) => p >= kernel[i % axes])) {
    throw new FreightError(`pads [${pads.join(',')}] must be smaller than kernel_shape [${kernel.join(',')}]`);
  }
  const ceilMode = ctx.int('ceil_mode', 0);
  if (ceilMode !== 0 && ceilMode !== 1) throw new FreightError(`ceil_mode ${ceilMode} must be 0 or 1`);
  const window = resolveWindow(inSizes, {
    kernel, strides: readPerAxis(ctx, 'strides', axes, 1), dilations: readPerAxis(ctx, 'dilations', axes, 1),
    pads, autoPad, ceilMode: ceilMode === 1, strictSame: true,
  });
  window.out.forEach((_, a) => {
    // Only a dilated window that starts in the begin padding can skip over every input element.
    for (let o = 0; o * window.strides[a] < window.padBegin[a]; o++) {
      if (tapsInside(window, a, o, 0, inSizes[a]) === 0) {
        throw new FreightError(`the dilated window at output ${o} of spatial axis ${a} covers padding only`);
      }
    }
  });
  const p = type === 'LpPool' ? ctx.int('p', 2) : 2;
  if (!Number.isInteger(p) || p < 1) throw new FreightError(`p ${p} must be a positive integer`);
  const storageOrder = type === 'MaxPool' ? ctx.int('storage_order', 0) : 0;
  if (storageOrder !== 0 && storageOrder !== 1) throw new FreightError(`storage_order ${storageOrder} must be 0 or 1`);
  return { window, countIncludePad: type === 'AveragePool' && ctx.int('count_include_pad', 0) !== 0, p, storageOrder };
}

/** How many taps of window `o` along axis `a` land in [lo, hi) (the input, or the padded input). */
function tapsInside(w: Window, a: number, o: number, lo: number, hi: number): number {
  let n = 0;
  for (let k = 0; k < w.kernel[a]; k++) {
    const pos = o * w.strides[a] + k * w.dilations[a] - w.padBegin[a];
    if (pos >= lo && pos < hi) n++;
  }
  return n;
}

function poolReference(type: PoolType, attrs: PoolAttrs, x: Tensor, outs: readonly ValueInfo[]): Tensor[] {
  const { window: w } = attrs;
  const xs = toNumbers(x);
  const [, , ...inSizes] = x.shape;
  const out = outs[0];
  const plane = sizeOf(inSizes);
  const rowStrides = stridesOf(inSizes);
  const colStrides = inSizes.map((_, a) => sizeOf(inSizes.slice(0, a)));
  const taps = sizeOf(w.kernel);
  const y = new Float64Array(sizeOf(out.shape));
  const indices = new Float64Array(outs.length > 1 ? y.length : 0);
  for (let flat = 0; flat < y.length; flat++) {
    const [n, ch, ...o] = unravel(flat, out.shape);
    const planeStart = (n * x.shape[1] + ch) * plane;
    let best = -Infinity;
    let bestAt = -1;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const k = unravel(t, w.kernel);
      const pos = o.map((p, a) => p * w.strides[a] + k[a] * w.dilations[a] - w.padBegin[a]);
      if (pos.some((p, a) => p < 0 || p >= inSizes[a])) continue;
      const rowMajor = pos.reduce((s, p, a) => s + p * rowStrides[a], 0);
      const value = xs[planeStart + rowMajor];
      if (value > best) {
        best = value;
        bestAt = attrs.storageOrder === 0 ? rowMajor : pos.reduce((s, p, a) => s + p * colStrides[a], 0);
      }
      sum += type === 'LpPool' ? Math.abs(value) ** attrs.p : value;
    }
    if (type === 'MaxPool') {
      y[flat] = best;
      if (indices.length > 0) indices[flat] = planeStart + bestAt;
    } else if (type === 'LpPool') {
      y[flat] = sum ** (1 / attrs.p);
    } else {
      // The divisor counts the taps inside the input, or inside the padded input: a window that
      // ceil_mode lets run past the end padding is never divided by its full size.
      const count = o.reduce((prod, p, a) => {
        const [lo, hi] = attrs.countIncludePad ? [-w.padBegin[a], inSizes[a] + w.padEnd[a]] : [0, inSizes[a]];
        return prod * tapsInside(w, a, p, lo, hi);
      }, 1);
      y[flat] = sum / count;
    }
  }
  const result = [fromNumbers('float32', out.shape, y)];
  if (indices.length > 0) result.push(fromNumbers('int64', out.shape, indices));
  return result;
}

function pool(type: PoolType): OpDef<PoolAttrs> {
  return {
    type,
    resolve: (ctx) => ({ attrs: resolvePool(type, ctx) }),
    infer(attrs, [x]): ValueInfo[] {
      const shape = [x!.shape[0], x!.shape[1], ...attrs.window.out];
      const y: ValueInfo = { dtype: 'float32', shape };
      return type === 'MaxPool' ? [y, { dtype: 'int64', shape }] : [y];
    },
    reference: (attrs, [x], outs) => poolReference(type, attrs, x!, outs),
    lower: (ctx, attrs) => lowerPool(ctx, type, attrs),
  };
}

export const poolOps: readonly OpDef[] = (['MaxPool', 'AveragePool', 'LpPool'] as const).map(pool);
