// Operators of the 'movement' family: views (Reshape, Flatten, Squeeze, Unsqueeze), data
// movement (Transpose, Concat, Split, Slice, Gather*, Expand, Tile, Pad, DepthToSpace,
// SpaceToDepth, Trilu) and shape-derived values (Shape, Size, ConstantOfShape, Range, NonZero).

import type { OpDef } from '../op.js';
import { concat } from './concat.js';
import { constantOfShape } from './constant-of-shape.js';
import { depthToSpace, spaceToDepth } from './depth-to-space.js';
import { expand } from './expand.js';
import { flatten } from './flatten.js';
import { gather } from './gather.js';
import { gatherElements } from './gather-elements.js';
import { gatherNd } from './gather-nd.js';
import { nonZero } from './non-zero.js';
import { pad } from './pad.js';
import { range } from './range.js';
import { reshape } from './reshape.js';
import { shapeOp, size } from './shape.js';
import { slice } from './slice.js';
import { split } from './split.js';
import { squeeze, unsqueeze } from './squeeze.js';
import { tile } from './tile.js';
import { transpose } from './transpose.js';
import { trilu } from './trilu.js';

export const movementOps: readonly OpDef[] = [
  reshape, flatten, squeeze, unsqueeze,
  transpose, concat, split, slice, gather, gatherElements, gatherNd, expand, tile, pad,
  depthToSpace, spaceToDepth, trilu,
  shapeOp, size, constantOfShape, range, nonZero,
];
