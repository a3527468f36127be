// Counts over a lowered program: floating-point operations and compulsory bytes, read off the
// maps and memlets (so they hold for every operator, present and future).

import type { Expr } from './expr.js';
import type { MapOp, Program } from './program.js';
import { bytesPerElement, sizeOf } from './tensor.js';

/** Arithmetic operations in a scalar expression (conversions and selects' conditions included). */
function opsIn(e: Expr): number {
  switch (e.k) {
    case 'un': return 1 + opsIn(e.a);
    case 'bin': return 1 + opsIn(e.a) + opsIn(e.b);
    case 'sel': return 1 + opsIn(e.c) + opsIn(e.a) + opsIn(e.b);
    case 'cast': return opsIn(e.a);
    default: return 0;
  }
}

/** FLOPs of one map: body per iteration point (+1 for the combine of a reduction), epilogue per output. */
export function mapFlops(m: MapOp): number {
  const points = m.dims.reduce((n, d) => n * d.extent, 1);
  const outputs = m.dims.filter((d) => !d.reduce).reduce((n, d) => n * d.extent, 1);
  const combine = m.write.wcr ? 1 : 0;
  return points * (opsIn(m.body) + combine) + (m.epilogue ? outputs * opsIn(m.epilogue) : 0);
}

export function programFlops(p: Program): number {
  return p.kernels.reduce((n, k) => n + k.maps.reduce((s, m) => s + mapFlops(m), 0), 0);
}

/** Elements in constants: the model's parameters. */
export function parameterCount(p: Program): number {
  let n = 0;
  for (const t of p.constants.values()) n += sizeOf(t.shape);
  return n;
}

/** Bytes every kernel must move at least: each buffer it reads or writes, once. */
export function bytesLowerBound(p: Program): number {
  let total = 0;
  for (const k of p.kernels) {
    const touched = new Set(k.maps.flatMap((m) => [m.write.buffer, ...m.reads.map((r) => r.buffer)]));
    for (const name of touched) {
      const b = p.buffers.get(name)!;
      if (b.kind !== 'transient') total += sizeOf(b.shape) * bytesPerElement(b.dtype);
    }
  }
  return total;
}
