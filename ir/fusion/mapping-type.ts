// DNNFusion's mapping types, read off a map's memlets rather than its operator's name, so that
// they hold for every operator, present and future:
//
//   one-to-one    each point reads the element at the position it writes, dims in the same
//                 order (Add, Relu, BatchNormalization, Cast; Slice, Pad and Concat slices too)
//   one-to-many   several points read each element: a dim missing from the index (broadcast,
//                 Expand) or overlapping windows
//   many-to-many  a reduction: many elements combine into each written one (Conv, MatMul, Reduce*)
//   reorganize    an index that is not affine in the dims: reshape copies, gathers, resizes
//                 (plain reshapes are aliases in our IR and never become maps)
//   shuffle       the same elements visited with the dims in another order (Transpose)
//
// A read is classified against its map's write; a map's type is that of its most demanding read
// of a non-constant buffer (weights and biases do not decide it). What fuses, by the producer's
// type and how the consumer reads the producer's buffer:
//
//   producer ↓  consumer reads →  each element once      each element several   inside a reduction,
//                                 (one-to-one, shuffle)  times (one-to-many)    several times
//   parallel (one-to-one,         inline                 inline if the body is  inline only a plain
//   one-to-many, shuffle,                                small: recomputed at   copy (no arithmetic)
//   reorganize)                                          every read
//   reduction (many-to-many)      epilogue, when it is   ✗                      ✗
//                                 the only reader
//
// Never across a buffer with several writers, a graph input or output, a padded (guarded) read
// or a value used as an index: see inline.ts and epilogue.ts for every condition.

import { readsOf } from '../expr.js';
import type { MapOp, Program } from '../program.js';
import { dimOrder, invertIndex } from './index-algebra.js';

export type MappingType = 'one-to-one' | 'one-to-many' | 'many-to-many' | 'reorganize' | 'shuffle';

/** Least to most demanding, for a map with reads of several types. */
const RANK: readonly MappingType[] = ['one-to-one', 'reorganize', 'shuffle', 'one-to-many', 'many-to-many'];

export const isReduction = (m: MapOp): boolean => m.write.wcr !== undefined || m.dims.some((d) => d.reduce);

/** How map `m` relates the elements read through memlet `r` to the elements it writes. */
export function readMapping(m: MapOp, r: number): MappingType {
  if (isReduction(m)) return 'many-to-many';
  const index = m.reads[r].index;
  if (index.some((e) => readsOf(e).size > 0)) return 'reorganize';
  const order = dimOrder(index, m.dims);
  const written = dimOrder(m.write.index, m.dims);
  if (!order || !written) return 'reorganize';
  if (typeof invertIndex(index, m.dims) === 'string') return 'one-to-many';
  return order.length === written.length && order.every((d, i) => d === written[i]) ? 'one-to-one' : 'shuffle';
}

/** The type of a map: its most demanding read of a buffer that is not a constant. */
export function mapMapping(p: Program, m: MapOp): MappingType {
  if (isReduction(m)) return 'many-to-many';
  const types = m.reads.flatMap((r, i) => (p.buffers.get(r.buffer)?.kind === 'constant' ? [] : [readMapping(m, i)]));
  return types.reduce<MappingType>((worst, t) => (RANK.indexOf(t) > RANK.indexOf(worst) ? t : worst), 'one-to-one');
}
