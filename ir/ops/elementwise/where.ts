// Where: condition ? x : y elementwise, all three broadcast together; x and y share a dtype.

import { sel } from '../../expr.js';
import type { OpDef } from '../op.js';
import { ANY, BOOL, requireDtype, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

export const whereOp: OpDef = elementwiseOp({
  type: 'Where',
  arity: [3, 3],
  dtype(_, [condition, x, y]) {
    requireDtype('the condition', condition!.dtype, BOOL);
    return sameDtype([x, y], ANY);
  },
  scalar: () => (xs) => (xs[0] !== 0 ? xs[1] : xs[2]),
  body: (_, [condition, x, y]) => sel(condition!, x!, y!),
});
