// Where each output position of Pad reads along one axis, twice: as an index expression for
// the lowering and as a plain number for the reference (written independently: a table of kept
// positions, walked with a bouncing loop for reflect).

import { add, c, max, min, mod, sub, un, type Expr } from '../../expr.js';

export type PadMode = 'constant' | 'reflect' | 'edge' | 'wrap';

/** The positions of an axis of size d that survive cropping by negative pads. */
export function cropOf(d: number, begin: number, end: number): { first: number; length: number } {
  const first = Math.max(-begin, 0);
  return { first, length: Math.max(d - first - Math.max(-end, 0), 0) };
}

/** The input index read at output position `o` (constant mode: may be out of range, a guarded read). */
export function padIndex(mode: PadMode, o: Expr, d: number, begin: number, end: number): Expr {
  if (mode === 'constant' || (begin <= 0 && end <= 0)) return sub(o, c(begin));
  const { first, length } = cropOf(d, begin, end);
  const i = sub(o, c(Math.max(begin, 0)));
  switch (mode) {
    case 'edge': return add(c(first), min(max(i, c(0)), c(length - 1)));
    case 'wrap': return add(c(first), mod(i, c(length)));
    case 'reflect': {
      if (length === 1) return c(first);
      const period = 2 * (length - 1);
      return add(c(first), sub(c(length - 1), un('abs', sub(c(length - 1), mod(i, c(period))))));
    }
  }
}

/** The input position read at output position `o`, or -1 for the constant value. */
export function axisSource(mode: PadMode, o: number, d: number, begin: number, end: number): number {
  const { first, length } = cropOf(d, begin, end);
  const kept = Array.from({ length }, (_, k) => first + k);
  let j = o - Math.max(begin, 0);
  if (j >= 0 && j < length) return kept[j];
  switch (mode) {
    case 'constant': return -1;
    case 'edge': return kept[j < 0 ? 0 : length - 1];
    case 'wrap': return kept[((j % length) + length) % length];
    case 'reflect':
      if (length === 1) return kept[0];
      while (j < 0 || j >= length) j = j < 0 ? -j : 2 * (length - 1) - j;
      return kept[j];
  }
}
