// PRelu: x < 0 ? slope·x : x, where the slope broadcasts to x's shape (unidirectionally: the
// output always has x's shape), e.g. one slope per channel as [C,1,1].

import { FreightError } from '../../errors.js';
import { bin, c, mul, sel } from '../../expr.js';
import { formatShape, sameShape } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { broadcastShapes } from '../util.js';
import { NUMERIC, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

export const preluOp: OpDef = elementwiseOp({
  type: 'PRelu',
  arity: [2, 2],
  dtype: (_, inputs) => sameDtype(inputs, NUMERIC),
  shape(_, [x, slope]) {
    const broadcast = broadcastShapes([x!.shape, slope!.shape]);
    if (!sameShape(broadcast, x!.shape)) {
      throw new FreightError(`slope of shape ${formatShape(slope!.shape)} does not broadcast to the input's shape ${formatShape(x!.shape)}`);
    }
    return x!.shape;
  },
  scalar: () => (xs) => (xs[0] < 0 ? xs[0] * xs[1] : xs[0]),
  body: (_, [x, slope]) => sel(bin('lt', x!, c(0)), mul(x!, slope!), x!),
});
