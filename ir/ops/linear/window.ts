// Sliding-window geometry shared by Conv and the pooling operators: reading the spatial
// attributes (kernel_shape, strides, dilations, pads, auto_pad) and resolving them to explicit
// pads and output sizes at compile time, so that infer, reference and lower see plain numbers.

import { FreightError } from '../../errors.js';
import type { ResolveContext } from '../op.js';

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

const AUTO_PADS: readonly string[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

/** A window operator's spatial parameters, one entry per spatial axis, pads resolved. */
export interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
  /** Output size per spatial axis. */
  readonly out: readonly number[];
}

/** The attributes as written, before auto_pad and the input size resolve them. */
export interface WindowSpec {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** Explicit pads in ONNX order [begin_0.., end_0..]; zeros when absent. */
  readonly pads: readonly number[];
  readonly autoPad: AutoPad;
  /** Pooling only: round the output size up (the last window must still start inside). */
  readonly ceilMode: boolean;
  /**
   * Pooling only: refuse SAME padding that comes out negative (a kernel smaller than the
   * stride). Conv clamps it to 0, as ONNX Runtime does; its pooling instead shifts the windows
   * or fails, and the specification's formula disagrees with both on odd totals.
   */
  readonly strictSame: boolean;
}

export function readAutoPad(ctx: ResolveContext): AutoPad {
  const autoPad = ctx.string('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) {
    throw new FreightError(`auto_pad '${autoPad}' is not one of ${AUTO_PADS.join(', ')}`);
  }
  return autoPad as AutoPad;
}

/** An ints attribute with one positive entry per spatial axis (strides, dilations, kernel_shape). */
export function readPerAxis(ctx: ResolveContext, name: string, axes: number, fallback?: number): number[] {
  const given = ctx.attr(name) !== undefined;
  if (!given && fallback === undefined) throw new FreightError(`attribute '${name}' is required`);
  const values = given ? ctx.ints(name) : new Array<number>(axes).fill(fallback!);
  if (values.length !== axes) {
    throw new FreightError(`${name} [${values.join(',')}] has ${values.length} entries, but the input has ${axes} spatial axes`);
  }
  if (values.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new FreightError(`${name} [${values.join(',')}] must be positive integers`);
  }
  return values;
}

/** Explicit pads (zeros when absent); auto_pad other than NOTSET takes no explicit padding. */
export function readPads(ctx: ResolveContext, axes: number, autoPad: AutoPad): number[] {
  if (ctx.attr('pads') === undefined) return new Array<number>(2 * axes).fill(0);
  const pads = ctx.ints('pads');
  if (pads.length !== 2 * axes) {
    throw new FreightError(`pads [${pads.join(',')}] has ${pads.length} entries, but ${axes} spatial axes need ${2 * axes} (all begins, then all ends)`);
  }
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new FreightError(`pads [${pads.join(',')}] must be non-negative integers`);
  }
  if (autoPad !== 'NOTSET' && pads.some((p) => p !== 0)) {
    throw new FreightError(`pads [${pads.join(',')}] cannot be combined with auto_pad ${autoPad}`);
  }
  return pads;
}

/** Extent of a dilated kernel: the distance from its first tap to its last, plus one. */
export function effectiveKernel(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/** Resolves the spec against the input's spatial sizes; refuses windows that do not fit. */
export function resolveWindow(inSizes: readonly number[], spec: WindowSpec): Window {
  const d = inSizes.length;
  const padBegin = spec.pads.slice(0, d);
  const padEnd = spec.pads.slice(d);
  const out: number[] = [];
  for (let i = 0; i < d; i++) {
    const size = inSizes[i];
    const span = effectiveKernel(spec.kernel[i], spec.dilations[i]);
    const stride = spec.strides[i];
    if (spec.autoPad === 'SAME_UPPER' || spec.autoPad === 'SAME_LOWER') {
      // ONNX Runtime refuses SAME with dilations for Conv and computes a size other than the
      // specification's for pooling; refusing keeps freight from silently picking a side.
      if (spec.dilations[i] !== 1) {
        throw new FreightError(`auto_pad ${spec.autoPad} with dilations [${spec.dilations.join(',')}] is not supported; give explicit pads`);
      }
      const target = Math.ceil(size / stride);
      const needed = (target - 1) * stride + span - size;
      if (needed < 0 && spec.strictSame) {
        throw new FreightError(`auto_pad ${spec.autoPad} needs negative padding along spatial axis ${i} (kernel ${spec.kernel[i]}, stride ${stride}, size ${size}), which is not supported; give explicit pads`);
      }
      const total = Math.max(0, needed);
      padBegin[i] = spec.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      padEnd[i] = total - padBegin[i];
    }
    const room = size + padBegin[i] + padEnd[i] - span;
    if (room < 0) {
      throw new FreightError(`the kernel spans ${span} along spatial axis ${i}, more than the padded input size ${size + padBegin[i] + padEnd[i]}`);
    }
    let n = (spec.ceilMode ? Math.ceil(room / stride) : Math.floor(room / stride)) + 1;
    // ceil_mode may add a window that starts in the end padding; it is dropped (as ONNX Runtime
    // and PyTorch do), so every window starts inside the input or its begin padding.
    if (spec.ceilMode && (n - 1) * stride >= size + padBegin[i]) n--;
    out.push(n);
  }
  return { kernel: spec.kernel, strides: spec.strides, dilations: spec.dilations, padBegin, padEnd, out };
}

/** Whether some tap of some window reads outside the input along axis i (a guarded read). */
export function overhangs(w: Window, inSize: number, i: number): boolean {
  const last = (w.out[i] - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] - w.padBegin[i];
  return w.padBegin[i] > 0 || last > inSize - 1;
}

/** Loop-variable stems for the spatial axes: h, w for 2-D; d, h, w for 3-D. */
export function spatialNames(axes: number): string[] {
  if (axes <= 3) return ['d', 'h', 'w'].slice(3 - axes);
  return Array.from({ length: axes }, (_, i) => `s${i}`);
}
