// Normalization rules for operators whose attributes became inputs in later opsets: Clip, Squeeze,
// Unsqueeze, Slice, the Reduce family, Split and Pad. The attribute's value becomes a constant
// initializer with a fresh name, placed at the input position the newer opset defines.

import type { RawNode } from '../graph.js';
import { scalar, tensorOf } from '../tensor.js';
import {
  intAttr, numberAttr, numbersAttr, requiredNumbers, trimInputs, withoutAttrs,
  type NormalizeContext, type Rule,
} from './normalize-context.js';

const int64s = (values: readonly number[]) => tensorOf('int64', [values.length], values);

/** Clip < 11: attributes min and max (float) became optional inputs 1 and 2. */
export const clip: Rule = (node, opset, ctx) => {
  if (opset >= 11) return undefined;
  const min = numberAttr(node, 'min');
  const max = numberAttr(node, 'max');
  const inputs = [
    node.inputs[0] ?? '',
    min === undefined ? '' : ctx.constant(`${node.name}_min`, scalar('float32', min)),
    max === undefined ? '' : ctx.constant(`${node.name}_max`, scalar('float32', max)),
  ];
  return [{ ...node, inputs: trimInputs(inputs), attrs: withoutAttrs(node.attrs, 'min', 'max') }];
};

/** Squeeze/Unsqueeze < 13: attribute axes became input 1 (int64, 1-D). */
export const squeezeAxes: Rule = (node, opset, ctx) => {
  if (opset >= 13) return undefined;
  return [moveToInput(node, ctx, 'axes', 1)];
};

/** Slice < 10: attributes starts, ends, axes became inputs 1, 2, 3 (steps, input 4, came new). */
export const slice: Rule = (node, opset, ctx) => {
  if (opset >= 10) return undefined;
  const starts = requiredNumbers(node, 'starts', opset);
  const ends = requiredNumbers(node, 'ends', opset);
  const axes = numbersAttr(node, 'axes');
  const inputs = [
    node.inputs[0] ?? '',
    ctx.constant(`${node.name}_starts`, int64s(starts)),
    ctx.constant(`${node.name}_ends`, int64s(ends)),
    axes === undefined ? '' : ctx.constant(`${node.name}_axes`, int64s(axes)),
  ];
  return [{ ...node, inputs: trimInputs(inputs), attrs: withoutAttrs(node.attrs, 'starts', 'ends', 'axes') }];
};

/** Reduce ops before `since` (13 for ReduceSum, 18 for the others): attribute axes became input 1. */
export function reduceAxes(since: number): Rule {
  return (node, opset, ctx) => {
    if (opset >= since || node.attrs.axes === undefined) return undefined;
    return [moveToInput(node, ctx, 'axes', 1)];
  };
}

/**
 * Split < 13: attribute split became input 1. Without it the input is split evenly, which
 * opset 18 spells as attribute num_outputs (for 13 to 17 too, where input 1 may be absent).
 */
export const split: Rule = (node, opset, ctx) => {
  if (opset >= 18) return undefined;
  if (opset < 13 && node.attrs.split !== undefined) return [moveToInput(node, ctx, 'split', 1)];
  if ((node.inputs[1] ?? '') !== '' || node.attrs.num_outputs !== undefined) return undefined;
  const attrs = { ...withoutAttrs(node.attrs, 'split'), num_outputs: intAttr(node.outputs.length) };
  return [{ ...node, inputs: trimInputs(node.inputs), attrs }];
};

/** Pad < 11: attributes pads (int64) and value (float) became inputs 1 and 2; mode stays. */
export const pad: Rule = (node, opset, ctx) => {
  if (opset >= 11) return undefined;
  const pads = requiredNumbers(node, 'pads', opset);
  const value = numberAttr(node, 'value');
  const inputs = [
    node.inputs[0] ?? '',
    ctx.constant(`${node.name}_pads`, int64s(pads)),
    value === undefined ? '' : ctx.constant(`${node.name}_value`, scalar('float32', value)),
  ];
  return [{ ...node, inputs: trimInputs(inputs), attrs: withoutAttrs(node.attrs, 'pads', 'value') }];
};

/** Moves a list attribute to input `index` as an int64 1-D constant; absent attribute: no input. */
function moveToInput(node: RawNode, ctx: NormalizeContext, name: string, index: number): RawNode {
  const values = numbersAttr(node, name);
  if (values === undefined) return node;
  const inputs = [...node.inputs];
  while (inputs.length < index) inputs.push('');
  inputs[index] = ctx.constant(`${node.name}_${name}`, int64s(values));
  return { ...node, inputs: trimInputs(inputs), attrs: withoutAttrs(node.attrs, name) };
}
