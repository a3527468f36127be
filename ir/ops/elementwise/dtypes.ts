// Which element types each elementwise operator accepts, and the checks that refuse the rest
// with a message naming the dtypes involved.

import { FreightError } from '../../errors.js';
import type { ValueInfo } from '../../graph.js';
import type { DType } from '../../tensor.js';

export const FLOAT: readonly DType[] = ['float32'];
export const NUMERIC: readonly DType[] = ['float32', 'int32', 'int64'];
export const BOOL: readonly DType[] = ['bool'];
export const ANY: readonly DType[] = ['float32', 'int32', 'int64', 'bool'];

/** Throws unless `dtype` is one of `allowed`; `what` names the value(s) ("the exponent", "the inputs"). */
export function requireDtype(what: string, dtype: DType, allowed: readonly DType[], plural = false): DType {
  if (!allowed.includes(dtype)) {
    throw new FreightError(`${what} ${plural ? 'have' : 'has'} dtype ${dtype}, but the operator accepts only ${allowed.join(', ')}`);
  }
  return dtype;
}

/**
 * The one dtype shared by all present inputs, which must be one of `allowed`.
 * Mixed dtypes are refused: ONNX inserts no implicit conversions.
 */
export function sameDtype(inputs: readonly (ValueInfo | undefined)[], allowed: readonly DType[]): DType {
  const present = inputs.filter((x): x is ValueInfo => x !== undefined);
  if (present.length === 0) throw new FreightError('it has no inputs');
  const dtypes = [...new Set(present.map((x) => x.dtype))];
  if (dtypes.length > 1) throw new FreightError(`inputs have different dtypes (${dtypes.join(' and ')}); cast one of them first`);
  const plural = present.length > 1;
  return requireDtype(plural ? 'the inputs' : 'the input', dtypes[0], allowed, plural);
}
