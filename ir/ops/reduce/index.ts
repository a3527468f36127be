// Operators of the 'reduce' family: reductions over axes, ArgMax/ArgMin, Softmax/LogSoftmax and
// the normalization layers.

import type { OpDef } from '../op.js';
import { argExtremes } from './arg-extreme.js';
import { batchNormalization } from './batch-norm.js';
import { groupNormalization } from './group-norm.js';
import { instanceNormalization } from './instance-norm.js';
import { layerNormalization } from './layer-norm.js';
import { lpNormalization } from './lp-norm.js';
import { reductions } from './reduce.js';
import { softmaxes } from './softmax.js';

export const reduceOps: readonly OpDef[] = [
  ...reductions,
  ...argExtremes,
  ...softmaxes,
  batchNormalization,
  instanceNormalization,
  layerNormalization,
  groupNormalization,
  lpNormalization,
];
