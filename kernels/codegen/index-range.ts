// The generated WGSL counts and indexes in 32 bits: the invocation's linear index in a u32 then an
// i32, flattened reduction loops and buffer offsets in i32. A map whose counts or offsets would
// leave those ranges is refused at check time with the reason, rather than compiled into a shader
// whose counter wraps around (a loop that never ends, or reads and writes at wrapped offsets).

import { affineRange } from '../../ir/expr.js';
import type { MapOp } from '../../ir/program.js';
import { sizeOf } from '../../ir/tensor.js';
import type { MapSchedule } from '../schedule.js';
import type { BufferLookup } from './generate-map.js';
import { flatOffset } from './vec4.js';

export const I32_MAX = 2147483647;

const product = (xs: readonly number[]): number => xs.reduce((n, x) => n * x, 1);

/** Null when every count and offset of `m` under `s` fits its 32-bit type, else the reason. */
export function checkIndexRange(m: MapOp, s: MapSchedule, buffers?: BufferLookup): string | null {
  const parallel = m.dims.filter((d) => !d.reduce);
  const reduce = m.dims.filter((d) => d.reduce);
  const points = product(parallel.map((d) => d.extent));
  if (points > I32_MAX) return `the map has ${points} output points (${parallel.map((d) => d.extent).join('×')}); its linear index is an i32, which holds at most ${I32_MAX}`;
  const steps = product(reduce.map((d) => d.extent));
  const names = reduce.map((d) => d.name).join('×');
  // One flattened loop over every reduce dim: a tree or subgroup strides it by the workgroup size,
  // a tiled map by its stage chunk; a serial reduction nests one loop per dim.
  const flattened = s.tiles?.length || s.reduction !== 'serial';
  if (flattened && reduce.length > 0) {
    const step = s.tiles?.length ? (s.staged?.[0]?.k ?? 1) : s.workgroupSize;
    if (steps - 1 + step > I32_MAX) {
      return `the ${s.tiles?.length ? 'tiled' : s.reduction} reduction flattens ${steps} steps (${names}) into one i32 loop counter, which overflows past ${I32_MAX}; use the serial reduction`;
    }
  }
  if (!flattened) {
    const unrolled = new Map((s.unroll ?? []).map((u) => [u.dim, u.factor]));
    const long = reduce.find((d) => d.extent - 1 + (unrolled.get(d.name) ?? 1) > I32_MAX);
    if (long) return `reduce dim '${long.name}' has ${long.extent} values; its i32 loop counter overflows past ${I32_MAX}`;
  }
  if (!buffers) return null;
  const extent = (name: string): number => m.dims.find((d) => d.name === name)?.extent ?? 1;
  for (const [what, mem] of [...m.reads.map((r, i) => [`read ${i}`, r] as const), ['the write', m.write] as const]) {
    const shape = buffers.buffer(mem.buffer).shape;
    const elements = sizeOf(shape);
    if (elements > I32_MAX) return `${what} is of a buffer of ${elements} elements; its i32 offsets hold at most ${I32_MAX}`;
    const form = flatOffset(mem.index, shape);
    if (!form) continue;
    const { lo, hi } = affineRange(form, extent);
    if (lo < -I32_MAX - 1 || hi > I32_MAX) return `${what} reaches offsets ${lo} to ${hi}, beyond the i32 range of its offset arithmetic`;
  }
  return null;
}
