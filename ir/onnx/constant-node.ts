// The tensor a Constant node stands for, from whichever of its value attributes it has
// (value, value_float(s), value_int(s)). freight has no string or sparse tensors, so those refuse.

import { FreightError } from '../errors.js';
import type { RawNode } from '../graph.js';
import { fromNumbers, type Tensor } from '../tensor.js';

export function constantValue(node: RawNode): Tensor {
  const what = `Constant node "${node.name}"`;
  if (node.outputs.length !== 1 || node.outputs[0] === '') {
    throw new FreightError(`${what} must have exactly one named output.`);
  }
  const keys = Object.keys(node.attrs);
  if (keys.length !== 1) {
    throw new FreightError(`${what} must have exactly one value attribute, not ${keys.length === 0 ? 'none' : keys.join(', ')}.`);
  }
  const key = keys[0];
  const a = node.attrs[key];
  switch (key) {
    case 'value':
      if (a.kind === 'tensor') return a.value;
      break;
    case 'value_float':
      if (a.kind === 'float' || a.kind === 'int') return fromNumbers('float32', [], [a.value]);
      break;
    case 'value_floats':
      if (a.kind === 'floats' || a.kind === 'ints') return fromNumbers('float32', [a.value.length], a.value);
      break;
    case 'value_int':
      if (a.kind === 'int') return fromNumbers('int64', [], [a.value]);
      break;
    case 'value_ints':
      if (a.kind === 'ints') return fromNumbers('int64', [a.value.length], a.value);
      break;
    case 'value_string':
    case 'value_strings':
      throw new FreightError(`${what} holds strings, which freight does not support.`);
    case 'sparse_value':
      throw new FreightError(`${what} holds a sparse tensor, which freight does not support.`);
    default:
      throw new FreightError(`${what} has unknown attribute "${key}".`);
  }
  throw new FreightError(`${what} has attribute "${key}" of kind ${a.kind}, which does not fit it.`);
}
