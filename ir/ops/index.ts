// The operator registry: every operator freight supports, by ONNX type. Explicit on purpose:
// nothing registers itself through an import side effect.

import { elementwiseOps } from './elementwise/index.js';
import { linearOps } from './linear/index.js';
import { movementOps } from './movement/index.js';
import type { OpDef } from './op.js';
import { reduceOps } from './reduce/index.js';
import { resizeOps } from './resize/index.js';

export type { OpDef, ResolveContext, Resolved, LowerContext, BufferRef } from './op.js';

const families: readonly (readonly OpDef[])[] = [elementwiseOps, linearOps, reduceOps, movementOps, resizeOps];

export const OPS: ReadonlyMap<string, OpDef> = new Map(families.flat().map((op) => [op.type, op]));

export function opDef(type: string): OpDef | undefined {
  return OPS.get(type);
}
