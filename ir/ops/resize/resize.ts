// The Resize operator (opset 21 semantics; tf_half_pixel_for_nn kept from opsets 11–12): nearest,
// linear and cubic sampling under every coordinate transformation, axes, keep_aspect_ratio_policy
// and antialias. roi, scales and sizes must be compile-time constants.

import type { ValueInfo } from '../../graph.js';
import type { OpDef } from '../op.js';
import { outShapeOf, resolveResize, type ResizeAttrs } from './attrs.js';
import { lowerResize } from './lower.js';
import { resizeReference } from './reference.js';

export const resize: OpDef<ResizeAttrs> = {
  type: 'Resize',
  resolve: resolveResize,
  infer: (attrs, [x]): ValueInfo[] => [{ dtype: x!.dtype, shape: outShapeOf(attrs) }],
  reference: (attrs, [x], [out]) => [resizeReference(attrs, x!, out)],
  lower: lowerResize,
};
