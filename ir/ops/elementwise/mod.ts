// Mod: the remainder of broadcast integer or float division. fmod=0 (integers only) takes the
// divisor's sign, like Python's %; fmod=1 takes the dividend's sign, like C's fmod.

import { FreightError } from '../../errors.js';
import { bin, mul, un } from '../../expr.js';
import type { OpDef } from '../op.js';
import { NUMERIC, sameDtype } from './dtypes.js';
import { elementwiseOp } from './elementwise-op.js';

interface ModAttrs {
  readonly fmod: 0 | 1;
}

export const modOp: OpDef<ModAttrs> = elementwiseOp<ModAttrs>({
  type: 'Mod',
  arity: [2, 2],
  resolve(ctx) {
    const fmod = ctx.int('fmod', 0);
    if (fmod !== 0 && fmod !== 1) throw new FreightError(`attribute fmod is ${fmod}; it must be 0 or 1`);
    return { attrs: { fmod } };
  },
  dtype({ fmod }, inputs) {
    const dtype = sameDtype(inputs, NUMERIC);
    if (dtype === 'float32' && fmod === 0) {
      throw new FreightError('fmod=0 (integer modulo) is not defined for float32 inputs; floating-point Mod needs fmod=1');
    }
    return dtype;
  },
  scalar: ({ fmod }) => (xs) => {
    const [a, b] = xs;
    const r = a % b; // JavaScript's % is C's fmod: the sign of the dividend
    if (fmod === 1) return r;
    return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
  },
  body({ fmod }, [a, b]) {
    // The IR's mod is the floored one (the divisor's sign); fmod's is the dividend's sign times
    // the floored modulo of the magnitudes.
    if (fmod === 0) return bin('mod', a!, b!);
    return mul(un('sign', a!), bin('mod', un('abs', a!), un('abs', b!)));
  },
});
