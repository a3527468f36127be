// Normalization rules for operators whose meaning changed: the Softmax family before 13 (which
// flattened its input to 2-D at `axis`), BatchNormalization's legacy and training-only parts, and
// Dropout before 12.

import { FreightError } from '../errors.js';
import type { RawNode } from '../graph.js';
import { scalar, tensorOf } from '../tensor.js';
import {
  describe, intAttr, numberAttr, withoutAttrs, type NormalizeContext, type Rule,
} from './normalize-context.js';

/**
 * Softmax, LogSoftmax, Hardmax < 13 computed over the 2-D view [d0*...*d(axis-1), d(axis)*...]
 * (axis default 1). In ONNX terms: Flatten(axis), the op on the last axis, Reshape back to the
 * input's shape. When axis is the last axis this is a no-op reshape pair that later rewrites remove.
 */
export const coerceTo2d: Rule = (node, opset, ctx) => {
  if (opset >= 13) return undefined;
  const axis = numberAttr(node, 'axis') ?? 1;
  const [x = ''] = node.inputs;
  const [y = ''] = node.outputs;
  const flat = ctx.fresh(`${node.name}_2d`);
  const result = ctx.fresh(`${node.name}_2d_out`);
  const shape = ctx.fresh(`${node.name}_in_shape`);
  return [
    op(ctx.fresh(`${node.name}_flatten`), 'Flatten', [x], flat, { axis: intAttr(axis) }),
    { ...node, inputs: [flat], outputs: [result], attrs: { axis: intAttr(-1) } },
    op(ctx.fresh(`${node.name}_shape_of`), 'Shape', [x], shape),
    op(ctx.fresh(`${node.name}_reshape`), 'Reshape', [result, shape], y),
  ];
};

/**
 * BatchNormalization: freight is inference only. Training mode is training_mode=1 from opset 14
 * and, before 14, a node that lists its statistics outputs (ONNX Runtime then normalizes with the
 * batch's statistics); both are refused. Legacy attributes is_test, consumed_inputs and spatial
 * go; spatial=0 (opsets 7-8: mean, var, scale and B shaped C x D1 x ... x Dn) becomes
 * element-wise arithmetic, which broadcasts the same way.
 */
export const batchNorm: Rule = (node, opset, ctx) => {
  const statistics = node.outputs.slice(1).filter((o) => o !== '');
  if ((numberAttr(node, 'training_mode') ?? 0) !== 0 || (opset < 14 && statistics.length > 0)) {
    const why = opset < 14 ? 'lists its statistics outputs, which puts it in training mode' : 'is in training mode';
    throw new FreightError(`${describe(node)} ${why}; freight compiles for inference only.`);
  }
  // From 14 the statistics outputs exist only in training mode; unread ones are harmless.
  const read = statistics.find((o) => ctx.isRead(o));
  if (read !== undefined) {
    throw new FreightError(`${describe(node)} has its training-only output "${read}" read; freight compiles for inference only.`);
  }
  const spatial = numberAttr(node, 'spatial') ?? 1;
  const attrs = withoutAttrs(node.attrs, 'spatial', 'is_test', 'consumed_inputs', 'training_mode');
  const normalized: RawNode = { ...node, outputs: node.outputs.slice(0, 1), attrs };
  if (opset < 9 && spatial === 0) return perElement(normalized, ctx);
  return [normalized];
};

/** Y = (X - mean) * (scale / sqrt(var + epsilon)) + B. */
function perElement(node: RawNode, ctx: NormalizeContext): RawNode[] {
  const [x = '', scale = '', bias = '', mean = '', variance = ''] = node.inputs;
  const epsilon = ctx.constant(`${node.name}_epsilon`, scalar('float32', numberAttr(node, 'epsilon') ?? 1e-5));
  const v = (what: string) => ctx.fresh(`${node.name}_${what}`);
  const [shifted, std, factor, centered, scaled] = ['var_eps', 'std', 'factor', 'centered', 'scaled'].map(v);
  const n = (what: string) => ctx.fresh(`${node.name}_${what}_op`);
  return [
    op(n('add_eps'), 'Add', [variance, epsilon], shifted),
    op(n('sqrt'), 'Sqrt', [shifted], std),
    op(n('div'), 'Div', [scale, std], factor),
    op(n('sub'), 'Sub', [x, mean], centered),
    op(n('mul'), 'Mul', [centered, factor], scaled),
    op(node.name, 'Add', [scaled, bias], node.outputs[0] ?? ''),
  ];
}

/**
 * Dropout < 12 had attribute ratio; from 12 ratio and training_mode are inputs whose defaults
 * (0.5, false) make Dropout the identity, which is all inference needs, so ratio is dropped rather
 * than moved. The mask differs: ONNX Runtime fills it with false (0) before opset 12 and with true
 * from 12 on, and before 10 it had the data's type. So an old mask that is read becomes a
 * constant of x's shape (float 0 before 10, bool false after) and Dropout keeps only its output.
 */
export const dropout: Rule = (node, opset, ctx) => {
  if (opset >= 12) return undefined;
  const attrs = withoutAttrs(node.attrs, 'ratio', 'is_test');
  const [y = '', mask = ''] = node.outputs;
  const kept: RawNode = { ...node, outputs: [y], attrs };
  if (mask === '' || !ctx.isRead(mask)) return [kept];
  const shape = ctx.fresh(`${node.name}_in_shape`);
  const value = opset < 10 ? tensorOf('float32', [1], [0]) : tensorOf('bool', [1], [0]);
  return [
    kept,
    op(ctx.fresh(`${node.name}_shape_of`), 'Shape', [node.inputs[0] ?? ''], shape),
    op(ctx.fresh(`${node.name}_mask`), 'ConstantOfShape', [shape], mask, { value: { kind: 'tensor', value } }),
  ];
};

function op(name: string, type: string, inputs: string[], output: string, attrs: RawNode['attrs'] = {}): RawNode {
  return { name, op: type, domain: '', inputs, outputs: [output], attrs };
}
