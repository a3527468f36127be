// Operators of the 'linear' family.

import type { OpDef } from '../op.js';

export const linearOps: readonly OpDef[] = [];
