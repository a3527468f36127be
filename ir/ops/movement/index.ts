// Operators of the 'movement' family.

import type { OpDef } from '../op.js';

export const movementOps: readonly OpDef[] = [];
