// Identity, and Dropout at inference (an identity whose optional mask output is all true). Both
// alias their output to their input: no data moves.

import { FreightError } from '../../errors.js';
import { c } from '../../expr.js';
import { elementAt, fromNumbers, sizeOf } from '../../tensor.js';
import type { OpDef, ResolveContext } from '../op.js';
import { elementwiseMap } from '../util.js';

type NoAttrs = Record<string, never>;

function requireOneInput(ctx: ResolveContext, max: number): void {
  if (!ctx.input(0)) throw new FreightError('its input is missing');
  if (ctx.inputCount > max) throw new FreightError(`it has ${ctx.inputCount} inputs; the operator takes at most ${max}`);
}

export const identityOp: OpDef<NoAttrs> = {
  type: 'Identity',
  resolve(ctx) {
    requireOneInput(ctx, 1);
    return { attrs: {} };
  },
  infer: (_, [x]) => [{ dtype: x!.dtype, shape: [...x!.shape] }],
  reference: (_, [x]) => [x!],
  lower(ctx) {
    ctx.alias(ctx.output(0), ctx.input(0));
  },
};

/**
 * Dropout(data, ratio?, training_mode?). freight compiles for inference: training_mode must be a
 * constant false (or absent); the ratio then does not matter and is not read.
 */
export const dropoutOp: OpDef<NoAttrs> = {
  type: 'Dropout',
  resolve(ctx) {
    requireOneInput(ctx, 3);
    const consumed = ctx.constant(1) ? [1] : [];
    if (ctx.input(2)) {
      const training = ctx.requireConstant(2, 'training_mode');
      if (sizeOf(training.shape) !== 1) throw new FreightError('its training_mode must be a scalar');
      if (elementAt(training, 0) !== 0) {
        throw new FreightError('training_mode is true; freight compiles models for inference, where Dropout passes its input through');
      }
      consumed.push(2);
    }
    return { attrs: {}, consumed };
  },
  infer: (_, [x]) => [{ dtype: x!.dtype, shape: [...x!.shape] }, { dtype: 'bool', shape: [...x!.shape] }],
  reference: (_, [x]) => [x!, fromNumbers('bool', x!.shape, new Array<number>(sizeOf(x!.shape)).fill(1))],
  lower(ctx) {
    const x = ctx.input(0);
    ctx.alias(ctx.output(0), x);
    if (ctx.node.outputs[1]) ctx.map(elementwiseMap(ctx.output(1), [], c(1)));
  },
};
