// ConvTranspose (1-D, 2-D, 3-D, …): the gradient of Conv with respect to its input, with
// strides, dilations, pads, output_padding, output_shape (which implies the pads), auto_pad,
// groups and bias. The reference scatters every input point into the output, as the operator is
// defined; the lowering (conv-transpose-phases.ts) gathers instead.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, fromNumbers, sizeOf, stridesOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { unravel } from '../util.js';
import { convOperands } from './checks.js';
import { kernelOf } from './conv.js';
import { lowerConvTranspose } from './conv-transpose-phases.js';
import { effectiveKernel, readAutoPad, readPads, readPerAxis, type AutoPad, type Window } from './window.js';

export interface ConvTransposeAttrs {
  readonly group: number;
  /** `out` is the output's spatial size; the pads are those of the equivalent Conv. */
  readonly window: Window;
}

/** Non-negative per-axis integers (output_padding); zeros when absent. */
function readOutputPadding(ctx: ResolveContext, strides: readonly number[]): number[] {
  const axes = strides.length;
  const values = ctx.attr('output_padding') === undefined ? new Array<number>(axes).fill(0) : ctx.ints('output_padding');
  if (values.length !== axes) throw new FreightError(`output_padding [${values.join(',')}] has ${values.length} entries, but the input has ${axes} spatial axes`);
  values.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 0) throw new FreightError(`output_padding [${values.join(',')}] must be non-negative integers`);
    // A larger output_padding would add positions no input reaches; ONNX Runtime refuses it too.
    if (p >= strides[i]) throw new FreightError(`output_padding ${p} must be smaller than the stride ${strides[i]} along spatial axis ${i}`);
  });
  return values;
}

/** Pads and output sizes: from output_shape, from auto_pad SAME_*, or from explicit pads. */
function transposeGeometry(
  ctx: ResolveContext, inSizes: readonly number[], kernel: readonly number[],
  strides: readonly number[], dilations: readonly number[], autoPad: AutoPad,
): Window {
  const axes = inSizes.length;
  const outputPadding = readOutputPadding(ctx, strides);
  const pads = readPads(ctx, axes, autoPad);
  const requested = ctx.attr('output_shape') === undefined ? undefined : ctx.ints('output_shape');
  if (requested && (requested.length !== axes || requested.some((d) => !Number.isInteger(d) || d < 1))) {
    throw new FreightError(`output_shape [${requested.join(',')}] must be ${axes} positive sizes, one per spatial axis`);
  }
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < axes; i++) {
    const span = effectiveKernel(kernel[i], dilations[i]);
    const full = (inSizes[i] - 1) * strides[i] + span + outputPadding[i];
    // output_shape or SAME fixes the size (explicit pads are then ignored, as in ONNX Runtime);
    // the padding that gets there is split with the odd one at the end for SAME_UPPER and at
    // the beginning otherwise (ONNX; ONNX Runtime 1.30 agrees).
    const target = requested ? requested[i] : autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' ? inSizes[i] * strides[i] : undefined;
    if (target === undefined) {
      padBegin.push(pads[i]);
      padEnd.push(pads[axes + i]);
    } else {
      const total = Math.max(0, full - target);
      padBegin.push(autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2));
      padEnd.push(total - padBegin[i]);
    }
    const size = requested ? requested[i] : full - padBegin[i] - padEnd[i];
    if (requested && Math.floor((size + padBegin[i] + padEnd[i] - span) / strides[i]) + 1 !== inSizes[i]) {
      throw new FreightError(`output_shape [${requested.join(',')}] is unreachable along spatial axis ${i}: the input size ${inSizes[i]} gives at most ${full + strides[i] - 1 - outputPadding[i]}`);
    }
    if (size < 1) throw new FreightError(`pads [${pads.join(',')}] remove the whole output along spatial axis ${i} (size ${full} before padding)`);
    out.push(size);
  }
  return { kernel, strides, dilations, padBegin, padEnd, out };
}

export const convTranspose: OpDef<ConvTransposeAttrs> = {
  type: 'ConvTranspose',
  resolve(ctx) {
    const { x, w, b, group } = convOperands(ctx);
    const channels = x.shape[1];
    if (channels % group !== 0) throw new FreightError(`group ${group} does not divide the ${channels} channels of X`);
    if (w.shape[0] !== channels) {
      throw new FreightError(`X has ${channels} channels, but W ${formatShape(w.shape)} expects ${w.shape[0]} (its first axis)`);
    }
    const outChannels = w.shape[1] * group;
    if (b && (b.shape.length !== 1 || b.shape[0] !== outChannels)) {
      throw new FreightError(`B has shape ${formatShape(b.shape)}, but it must be [${outChannels}], one bias per output channel`);
    }
    const axes = x.shape.length - 2;
    const strides = readPerAxis(ctx, 'strides', axes, 1);
    const dilations = readPerAxis(ctx, 'dilations', axes, 1);
    const window = transposeGeometry(ctx, x.shape.slice(2), kernelOf(ctx, w), strides, dilations, readAutoPad(ctx));
    return { attrs: { group, window } };
  },

  infer({ group, window }, [x, w]): ValueInfo[] {
    return [{ dtype: 'float32', shape: [x!.shape[0], w!.shape[1] * group, ...window.out] }];
  },

  reference({ group, window }, [x, w, b], [out]): Tensor[] {
    const xs = toNumbers(x!);
    const ws = toNumbers(w!);
    const channels = x!.shape[1];
    const [, outPerGroup, ...kernel] = w!.shape;
    const inPerGroup = channels / group;
    const yStrides = stridesOf(out.shape);
    const wStrides = stridesOf(w!.shape);
    const taps = sizeOf(kernel);
    const y = new Float64Array(sizeOf(out.shape));
    for (let flat = 0; flat < xs.length; flat++) {
      const [n, ci, ...i] = unravel(flat, x!.shape);
      const g = Math.floor(ci / inPerGroup);
      for (let t = 0; t < taps; t++) {
        const k = unravel(t, kernel);
        const o = i.map((p, a) => p * window.strides[a] + k[a] * window.dilations[a] - window.padBegin[a]);
        if (o.some((p, a) => p < 0 || p >= window.out[a])) continue;
        const yAt = o.reduce((s, p, a) => s + p * yStrides[a + 2], n * yStrides[0]);
        const wAt = k.reduce((s, p, a) => s + p * wStrides[a + 2], ci * wStrides[0]);
        for (let m = 0; m < outPerGroup; m++) {
          y[yAt + (g * outPerGroup + m) * yStrides[1]] += xs[flat] * ws[wAt + m * wStrides[1]];
        }
      }
    }
    if (b) {
      const bias = toNumbers(b);
      for (let flat = 0; flat < y.length; flat++) y[flat] += bias[Math.floor(flat / yStrides[1]) % out.shape[1]];
    }
    return [fromNumbers('float32', out.shape, y)];
  },

  lower(ctx, attrs) {
    lowerConvTranspose(ctx, attrs.group, attrs.window);
  },
};

