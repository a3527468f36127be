// Normalization rules for resampling: Upsample (opsets 7-9) and Resize-10 become opset-21 Resize
// with the coordinate and rounding rules they had, and Resize 11+ drops inputs that only exist
// to be empty (an empty scales constant, or roi outside tf_crop_and_resize).
//
// Opsets up to 10 map output pixel x to input coordinate x / scale ('asymmetric'). Their nearest
// rounding is ONNX Runtime's (upsamplebase.h, ResizeNearestMode::SIMPLE, which the opset-10
// backend tests also follow): truncation where an axis is upsampled, ceil where it is downsampled.
// Truncation is 'floor' here since coordinates are non-negative. Rounding that differs per axis
// is not one Resize in opset 21, so a Resize-10 that both up- and downsamples becomes two.

import { FreightError } from '../errors.js';
import type { Attribute, RawNode } from '../graph.js';
import { tensorOf, toNumbers } from '../tensor.js';
import {
  describe, numbersAttr, stringAttr, stringAttrValue, trimInputs, type NormalizeContext, type Rule,
} from './normalize-context.js';

type Mode = 'nearest' | 'linear';

/** Upsample-7 (scales attribute) and Upsample-9 (scales input); deprecated from 10, left as is there. */
export const upsample: Rule = (node, opset, ctx) => {
  if (opset >= 10) return undefined;
  const mode = legacyMode(node, opset);
  let scales = node.inputs[1] ?? '';
  if (opset < 9) {
    const values = numbersAttr(node, 'scales');
    if (values === undefined) throw new FreightError(`${describe(node)} has no "scales" attribute, which opset ${opset} requires.`);
    scales = ctx.constant(`${node.name}_scales`, tensorOf('float32', [values.length], values));
  }
  // Upsample scales are >= 1 by definition.
  return [legacyResize(node.name, node.inputs[0] ?? '', scales, node.outputs[0] ?? '', mode, 'floor')];
};

export const resize: Rule = (node, opset, ctx) => {
  if (opset === 10) return resize10(node, ctx);
  return dropEmptyInputs(node, ctx);
};

function resize10(node: RawNode, ctx: NormalizeContext): RawNode[] {
  const mode = legacyMode(node, 10);
  const [x = '', scalesName = ''] = node.inputs;
  const y = node.outputs[0] ?? '';
  const known = ctx.initializers.get(scalesName);
  // Scales computed at run time: assume upsampling, the use Resize-10 models have in practice.
  if (mode === 'linear' || known === undefined) return [legacyResize(node.name, x, scalesName, y, mode, 'floor')];
  const s = Array.from(toNumbers(known));
  const down = s.some((v) => v < 1);
  const up = s.some((v) => v > 1);
  if (!down) return [legacyResize(node.name, x, scalesName, y, mode, 'floor')];
  if (!up) return [legacyResize(node.name, x, scalesName, y, mode, 'ceil')];
  // Nearest resampling is separable, so downsampled axes first, then upsampled ones, is exact.
  const downScales = ctx.constant(`${node.name}_down_scales`, tensorOf('float32', [s.length], s.map((v) => Math.min(v, 1))));
  const upScales = ctx.constant(`${node.name}_up_scales`, tensorOf('float32', [s.length], s.map((v) => Math.max(v, 1))));
  const mid = ctx.fresh(`${node.name}_downsampled`);
  return [
    legacyResize(ctx.fresh(`${node.name}_down`), x, downScales, mid, mode, 'ceil'),
    legacyResize(node.name, mid, upScales, y, mode, 'floor'),
  ];
}

function legacyMode(node: RawNode, opset: number): Mode {
  const mode = stringAttr(node, 'mode') ?? 'nearest';
  if (mode === 'nearest' || mode === 'linear') return mode;
  // Models converted from Caffe2 wrote 'bilinear' for what ONNX calls 'linear'.
  if (mode === 'bilinear') return 'linear';
  throw new FreightError(`${describe(node)} has mode "${mode}"; opset ${opset} allows nearest and linear.`);
}

function legacyResize(name: string, x: string, scales: string, y: string, mode: Mode, rounding: 'floor' | 'ceil'): RawNode {
  const attrs: Record<string, Attribute> = {
    mode: stringAttrValue(mode),
    coordinate_transformation_mode: stringAttrValue('asymmetric'),
  };
  if (mode === 'nearest') attrs.nearest_mode = stringAttrValue(rounding);
  return { name, op: 'Resize', domain: '', inputs: [x, '', scales], outputs: [y], attrs };
}

/** Resize 11+: roi matters only for tf_crop_and_resize; an empty scales tensor means "use sizes". */
function dropEmptyInputs(node: RawNode, ctx: NormalizeContext): RawNode[] | undefined {
  const inputs = [...node.inputs];
  const coordinates = stringAttr(node, 'coordinate_transformation_mode') ?? 'half_pixel';
  if ((inputs[1] ?? '') !== '' && coordinates !== 'tf_crop_and_resize') inputs[1] = '';
  const scales = ctx.initializers.get(inputs[2] ?? '');
  if (scales !== undefined && scales.data.length === 0) inputs[2] = '';
  const trimmed = trimInputs(inputs);
  if (trimmed.length === node.inputs.length && trimmed.every((v, i) => v === node.inputs[i])) return undefined;
  return [{ ...node, inputs: trimmed }];
}
