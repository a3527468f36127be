// Conv (1-D, 2-D, 3-D, …): grouped, strided, dilated, padded convolution with optional bias,
// lowered as one reduction map. Parallel dims: n, the group g (when group > 1), the output
// channel within the group m, the output positions; reduce dims: the input channel within the
// group ci and the kernel offsets. The input read is affine, `oh*stride + kh*dilation - padTop`,
// and guarded (`pad: 0`) when a window can reach into padding; the bias is the epilogue.

import { FreightError } from '../../errors.js';
import { acc, add, c, mul, read, sub, v, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Dim, Memlet } from '../../program.js';
import { formatShape, fromNumbers, sizeOf, stridesOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { unravel } from '../util.js';
import { convOperands } from './checks.js';
import { overhangs, readAutoPad, readPads, readPerAxis, resolveWindow, spatialNames, type Window } from './window.js';

export interface ConvAttrs {
  readonly group: number;
  readonly window: Window;
}

/** The channel `inner` of group `g`: g * perGroup + inner, or just `inner` without groups. */
export function groupedChannel(group: number, perGroup: number, inner: Expr): Expr {
  return group > 1 ? add(mul(v('g'), c(perGroup)), inner) : inner;
}

/** The kernel's spatial shape from W, checked against the optional kernel_shape attribute. */
export function kernelOf(ctx: ResolveContext, w: ValueInfo): number[] {
  const kernel = w.shape.slice(2);
  if (ctx.attr('kernel_shape') !== undefined) {
    const given = ctx.ints('kernel_shape');
    if (given.length !== kernel.length || given.some((k, i) => k !== kernel[i])) {
      throw new FreightError(`kernel_shape [${given.join(',')}] does not match the spatial shape of W ${formatShape(w.shape)}`);
    }
  }
  return kernel;
}

export const conv: OpDef<ConvAttrs> = {
  type: 'Conv',
  resolve(ctx) {
    const { x, w, b, group } = convOperands(ctx);
    const [channels, outChannels, perGroup] = [x.shape[1], w.shape[0], w.shape[1]];
    if (channels % group !== 0) throw new FreightError(`group ${group} does not divide the ${channels} channels of X`);
    if (outChannels % group !== 0) throw new FreightError(`group ${group} does not divide the ${outChannels} output channels of W ${formatShape(w.shape)}`);
    if (perGroup * group !== channels) {
      throw new FreightError(`X has ${channels} channels, but W ${formatShape(w.shape)} expects ${perGroup * group} (${perGroup} per group × group ${group})`);
    }
    if (b && (b.shape.length !== 1 || b.shape[0] !== outChannels)) {
      throw new FreightError(`B has shape ${formatShape(b.shape)}, but it must be [${outChannels}], one bias per output channel`);
    }
    const axes = x.shape.length - 2;
    const autoPad = readAutoPad(ctx);
    const window = resolveWindow(x.shape.slice(2), {
      kernel: kernelOf(ctx, w),
      strides: readPerAxis(ctx, 'strides', axes, 1),
      dilations: readPerAxis(ctx, 'dilations', axes, 1),
      pads: readPads(ctx, axes, autoPad),
      autoPad,
      ceilMode: false,
      strictSame: false,
    });
    return { attrs: { group, window } };
  },

  infer(attrs, [x, w]): ValueInfo[] {
    return [{ dtype: 'float32', shape: [x!.shape[0], w!.shape[0], ...attrs.window.out] }];
  },

  reference({ group, window }, [x, w, b], [out]): Tensor[] {
    const xs = toNumbers(x!);
    const ws = toNumbers(w!);
    const bias = b ? toNumbers(b) : undefined;
    const [, , ...inSizes] = x!.shape;
    const [outChannels, perGroup, ...kernel] = w!.shape;
    const outPerGroup = outChannels / group;
    const xStrides = stridesOf(x!.shape);
    const wStrides = stridesOf(w!.shape);
    // Kernel taps enumerated once: their multi-index and their offset into W.
    const tapIndex = Array.from({ length: sizeOf(kernel) }, (_, t) => unravel(t, kernel));
    const wTap = tapIndex.map((k) => k.reduce((at, ka, a) => at + ka * wStrides[a + 2], 0));
    const y = new Float64Array(sizeOf(out.shape));
    for (let flat = 0; flat < y.length; flat++) {
      const [n, co, ...o] = unravel(flat, out.shape);
      const g = Math.floor(co / outPerGroup);
      const xBase = n * xStrides[0] + g * perGroup * xStrides[1];
      const wBase = co * wStrides[0];
      let sum = 0;
      for (let t = 0; t < tapIndex.length; t++) {
        const k = tapIndex[t];
        let xAt = xBase;
        let inside = true;
        for (let a = 0; a < kernel.length; a++) {
          const pos = o[a] * window.strides[a] + k[a] * window.dilations[a] - window.padBegin[a];
          if (pos < 0 || pos >= inSizes[a]) { inside = false; break; }
          xAt += pos * xStrides[a + 2];
        }
        if (!inside) continue; // padding contributes zero
        const wAt = wBase + wTap[t];
        for (let ci = 0; ci < perGroup; ci++) sum += xs[xAt + ci * xStrides[1]] * ws[wAt + ci * wStrides[1]];
      }
      y[flat] = sum + (bias ? bias[co] : 0);
    }
    return [fromNumbers('float32', out.shape, y)];
  },

  lower(ctx, { group, window }) {
    const x = ctx.input(0);
    const w = ctx.input(1);
    const b = ctx.optionalInput(2);
    const out = ctx.output(0);
    const [batch, , ...inSizes] = x.shape;
    const [outChannels, perGroup, ...kernel] = w.shape;
    const names = spatialNames(kernel.length);
    const outPos = names.map((s) => v(`o${s}`));
    const taps = names.map((s) => v(`k${s}`));
    const dims: Dim[] = [
      { name: 'n', extent: batch },
      ...(group > 1 ? [{ name: 'g', extent: group }] : []),
      { name: 'm', extent: outChannels / group },
      ...names.map((s, a) => ({ name: `o${s}`, extent: window.out[a] })),
      { name: 'ci', extent: perGroup, reduce: true },
      ...names.map((s, a) => ({ name: `k${s}`, extent: kernel[a], reduce: true })),
    ];
    const co = groupedChannel(group, outChannels / group, v('m'));
    const inPos = outPos.map((o, a) =>
      sub(add(mul(o, c(window.strides[a])), mul(taps[a], c(window.dilations[a]))), c(window.padBegin[a])));
    const guarded = inSizes.some((size, a) => overhangs(window, size, a));
    const reads: Memlet[] = [
      { buffer: x.name, index: [v('n'), groupedChannel(group, perGroup, v('ci')), ...inPos], ...(guarded ? { pad: 0 } : {}) },
      { buffer: w.name, index: [co, v('ci'), ...taps] },
    ];
    if (b) reads.push({ buffer: b.name, index: [co] });
    ctx.map({
      dims,
      reads,
      body: mul(read(0), read(1)),
      write: { buffer: out.name, index: [v('n'), co, ...outPos], wcr: 'sum' },
      ...(b ? { epilogue: add(acc, read(2)) } : {}),
    });
  },
};
