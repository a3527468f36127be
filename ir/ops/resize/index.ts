// Operators of the 'resize' family.

import type { OpDef } from '../op.js';

export const resizeOps: readonly OpDef[] = [];
