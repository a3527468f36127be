// Operators of the 'elementwise' family.

import type { OpDef } from '../op.js';
import { binaryOps } from './binary.js';

export const elementwiseOps: readonly OpDef[] = [...binaryOps];
