// Operators of the 'resize' family.

import type { OpDef } from '../op.js';
import { resize } from './resize.js';

export const resizeOps: readonly OpDef[] = [resize];
