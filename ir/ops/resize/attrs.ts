// Resize's static parameters: the attributes, and the roi/scales/sizes inputs (compile-time
// constants) turned into one scale, one region of interest and one output length per axis.
//
// Arithmetic follows ONNX Runtime, the runtime models are checked against: scales are float32,
// an output length from scales is float32(in · scale) truncated (so 5 · 1.4 gives 7), a scale
// from sizes is float32(out / in), and keep_aspect_ratio_policy rounds float32(in · scale).

import { FreightError } from '../../errors.js';
import type { ResolveContext } from '../op.js';
import { formatShape, sizeOf, toNumbers, type DType, type Tensor } from '../../tensor.js';
import { normalizeAxes } from '../util.js';

export const RESIZE_MODES = ['nearest', 'linear', 'cubic'] as const;
export const COORDINATE_MODES = [
  'half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric',
  'tf_crop_and_resize', 'tf_half_pixel_for_nn',
] as const;
export const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;
const POLICIES = ['stretch', 'not_larger', 'not_smaller'] as const;

export type ResizeMode = (typeof RESIZE_MODES)[number];
export type CoordinateMode = (typeof COORDINATE_MODES)[number];
export type NearestMode = (typeof NEAREST_MODES)[number];

/** What the coordinate transformation of one axis needs; all float32 values. */
export interface AxisGeometry {
  readonly inLength: number;
  readonly outLength: number;
  /** 1 marks an axis that is not resized: output index i reads input index i. */
  readonly scale: number;
  /** The region of interest, normalized (tf_crop_and_resize only; [0, 1] otherwise). */
  readonly roiStart: number;
  readonly roiEnd: number;
}

export interface ResizeAttrs {
  readonly mode: ResizeMode;
  readonly coordinateMode: CoordinateMode;
  readonly nearestMode: NearestMode;
  readonly cubicCoeffA: number;
  readonly excludeOutside: boolean;
  /** Linear and cubic only: stretch the filter by 1/scale when downsampling. */
  readonly antialias: boolean;
  /** tf_crop_and_resize: the value of samples outside the input. */
  readonly extrapolationValue: number;
  /** One per dimension of X. */
  readonly geometry: readonly AxisGeometry[];
}

export const outShapeOf = (a: ResizeAttrs): number[] => a.geometry.map((g) => g.outLength);

/**
 * ONNX Runtime copies the input when the output shape equals the input shape, whatever the
 * scales and roi say (e.g. scale 1.1 on a length of 5): so does freight.
 */
export const isIdentity = (a: ResizeAttrs): boolean => a.geometry.every((g) => g.outLength === g.inLength);

export function resolveResize(ctx: ResolveContext): { attrs: ResizeAttrs; consumed: number[] } {
  const x = ctx.input(0);
  if (!x) throw new FreightError('its input X is missing');
  const rank = x.shape.length;
  if (rank === 0) throw new FreightError('X is a scalar; Resize needs a tensor of rank 1 or more');

  const mode = oneOf(ctx.string('mode', 'nearest'), RESIZE_MODES, 'mode');
  const coordinateMode = oneOf(ctx.string('coordinate_transformation_mode', 'half_pixel'), COORDINATE_MODES, 'coordinate_transformation_mode');
  const nearestMode = oneOf(ctx.string('nearest_mode', 'round_prefer_floor'), NEAREST_MODES, 'nearest_mode');
  const policy = oneOf(ctx.string('keep_aspect_ratio_policy', 'stretch'), POLICIES, 'keep_aspect_ratio_policy');
  const antialias = ctx.int('antialias', 0) !== 0 && mode !== 'nearest';
  const excludeOutside = ctx.int('exclude_outside', 0) !== 0;
  const axesGiven = ctx.attr('axes') !== undefined;
  const axes = normalizeAxes(ctx.ints('axes', [...Array(rank).keys()]), rank);
  checkDType(x.dtype, mode);
  if (antialias && coordinateMode === 'tf_crop_and_resize') {
    throw new FreightError("attribute 'antialias' = 1 with coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
  }

  // An empty scales or sizes tensor stands for an omitted input (exporters write such).
  const given = (i: number): boolean => { const t = ctx.input(i); return t !== undefined && sizeOf(t.shape) > 0; };
  if (given(2) && given(3)) throw new FreightError('both scales and sizes are given; Resize takes exactly one of them');
  if (!given(2) && !given(3)) throw new FreightError('neither scales nor sizes is given; Resize needs exactly one of them');
  if (given(2) && policy !== 'stretch') {
    throw new FreightError(`attribute 'keep_aspect_ratio_policy' = '${policy}' applies to sizes only, but scales are given`);
  }

  const inShape = x.shape;
  const { scales, outShape } = given(2)
    ? fromScales(perAxis(ctx.requireConstant(2, 'scales'), 'scales', 'float32', axes, axesGiven), axes, inShape)
    : fromSizes(perAxis(ctx.requireConstant(3, 'sizes'), 'sizes', 'int64', axes, axesGiven), axes, inShape, policy);

  const roi = inShape.map(() => [0, 1]);
  if (coordinateMode === 'tf_crop_and_resize' && ctx.input(1) && sizeOf(ctx.input(1)!.shape) > 0) {
    const values = toNumbers(ctx.requireConstant(1, 'roi'));
    if (values.length !== 2 * axes.length) {
      throw new FreightError(`roi has ${values.length} values, but ${2 * axes.length} are needed (a start and an end per resized axis)`);
    }
    axes.forEach((a, i) => { roi[a] = [Math.fround(values[i]), Math.fround(values[axes.length + i])]; });
  }

  const consumed = [1, 2, 3].filter((i) => ctx.input(i) !== undefined);
  return {
    attrs: {
      mode, coordinateMode, nearestMode, antialias, excludeOutside,
      cubicCoeffA: Math.fround(ctx.float('cubic_coeff_a', -0.75)),
      extrapolationValue: Math.fround(ctx.float('extrapolation_value', 0)),
      geometry: inShape.map((inLength, d) => ({
        inLength, outLength: outShape[d], scale: scales[d], roiStart: roi[d][0], roiEnd: roi[d][1],
      })),
    },
    consumed,
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new FreightError(`attribute '${name}' is '${value}'; expected one of ${allowed.map((s) => `'${s}'`).join(', ')}`);
  }
  return value as T;
}

function checkDType(dtype: DType, mode: ResizeMode): void {
  // Nearest only moves elements, so every dtype works; interpolating integers would need
  // ONNX Runtime's rounding rules, which nobody relies on.
  if (mode !== 'nearest' && dtype !== 'float32') {
    throw new FreightError(`mode '${mode}' interpolates, and X has dtype ${dtype}; only float32 is supported (mode 'nearest' takes any dtype)`);
  }
}

/** The values of a scales/sizes constant, one per entry of `axes`. */
function perAxis(t: Tensor, what: string, dtype: DType, axes: readonly number[], axesGiven: boolean): number[] {
  if (t.dtype !== dtype) throw new FreightError(`${what} has dtype ${t.dtype}; it must be ${dtype}`);
  if (t.shape.length !== 1) throw new FreightError(`${what} has shape ${formatShape(t.shape)}; it must be 1-D`);
  const values = Array.from(toNumbers(t));
  if (values.length !== axes.length) {
    const per = axesGiven ? `one per entry of axes [${axes.join(',')}]` : 'one per dimension of X';
    throw new FreightError(`${what} has ${values.length} values, but ${axes.length} are needed (${per})`);
  }
  return values;
}

function fromScales(values: readonly number[], axes: readonly number[], inShape: readonly number[]): { scales: number[]; outShape: number[] } {
  const scales = inShape.map(() => 1);
  axes.forEach((a, i) => {
    if (!(values[i] > 0) || !Number.isFinite(values[i])) throw new FreightError(`scales[${i}] is ${values[i]}; scales must be positive and finite`);
    scales[a] = Math.fround(values[i]);
  });
  // float32 product, truncated: what ONNX Runtime allocates.
  return { scales, outShape: inShape.map((n, d) => Math.trunc(Math.fround(scales[d] * n))) };
}

function fromSizes(
  values: readonly number[], axes: readonly number[], inShape: readonly number[], policy: (typeof POLICIES)[number],
): { scales: number[]; outShape: number[] } {
  const outShape = [...inShape];
  axes.forEach((a, i) => {
    const n = values[i];
    if (!Number.isInteger(n) || n < 0 || (n === 0 && inShape[a] > 0)) {
      throw new FreightError(`sizes[${i}] is ${n}; sizes must be positive integers`);
    }
    if (inShape[a] === 0 && n !== 0) throw new FreightError(`sizes[${i}] is ${n}, but axis ${a} of X is empty`);
    outShape[a] = n;
  });
  const scales = inShape.map((n, d) => (n === 0 ? 1 : Math.fround(outShape[d] / n)));
  if (policy === 'stretch') return { scales, outShape };
  const chosen = axes.map((a) => scales[a]);
  const scale = policy === 'not_larger' ? Math.min(...chosen) : Math.max(...chosen);
  for (const a of axes) {
    scales[a] = scale;
    outShape[a] = Math.round(Math.fround(scale * inShape[a]));
  }
  return { scales, outShape };
}
