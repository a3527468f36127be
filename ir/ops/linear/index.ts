// Operators of the 'linear' family: matrix products, convolutions and pooling.

import type { OpDef } from '../op.js';
import { conv } from './conv.js';
import { convTranspose } from './conv-transpose.js';
import { gemm } from './gemm.js';
import { globalPoolOps } from './global-pool.js';
import { matMul } from './matmul.js';
import { poolOps } from './pool.js';

export const linearOps: readonly OpDef[] = [matMul, gemm, conv, convTranspose, ...poolOps, ...globalPoolOps];
