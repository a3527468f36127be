// Operators of the 'elementwise' family: one output element from the input elements at the same
// (broadcast) position, plus the no-op Identity and inference-time Dropout.

import type { OpDef } from '../op.js';
import { activationOps } from './activations.js';
import { binaryOps } from './binary.js';
import { castOp } from './cast.js';
import { clipOp } from './clip.js';
import { compareOps } from './compare.js';
import { dropoutOp, identityOp } from './identity.js';
import { logicalOps } from './logical.js';
import { modOp } from './mod.js';
import { preluOp } from './prelu.js';
import { unaryMathOps } from './unary-math.js';
import { variadicOps } from './variadic.js';
import { whereOp } from './where.js';

export const elementwiseOps: readonly OpDef[] = [
  ...binaryOps, modOp, ...unaryMathOps, ...activationOps, preluOp, ...compareOps, ...logicalOps,
  ...variadicOps, clipOp, whereOp, castOp, identityOp, dropoutOp,
];
