// vec4 accesses: when four values of a read (or the write) along one dim are four consecutive
// elements starting at a multiple of four, one vec4<f32> load (store) moves them. The proof is
// exact, from the access's affine index flattened by its buffer's strides: the dim's coefficient
// is 1, every other coefficient and the constant are multiples of 4, and the four values are
// those of a register block of 4 or 8 (tile bases are multiples of the block size) or of the
// copies of a loop unrolled by 4 or 8 (iteration starts are multiples of the factor). The buffer is
// bound a second time as array<vec4<f32>>; read-only bindings may alias, the written one may not.
// Also the default's choice of vec4 accesses.

import { affine, readsOf, type Affine } from '../../ir/expr.js';
import type { MapOp, Memlet } from '../../ir/program.js';
import { stridesOf } from '../../ir/tensor.js';
import type { MapSchedule, Vec4Access } from '../schedule.js';
import type { BufferLookup } from './generate-map.js';

/** Elements per vec4. */
export const VEC = 4;

/** The element offset of `index` into a buffer of `shape`, as an affine form; null if it is not affine. */
export function flatOffset(index: Memlet['index'], shape: readonly number[]): Affine | null {
  const strides = stridesOf(shape);
  const coef: Record<string, number> = {};
  let offset = 0;
  for (const [i, e] of index.entries()) {
    const form = affine(e);
    if (!form) return null;
    offset += strides[i] * form.offset;
    for (const [name, k] of Object.entries(form.coef)) coef[name] = (coef[name] ?? 0) + strides[i] * k;
  }
  return { coef, offset };
}

/** Null when access `a` of `m` can move four elements at a time under `s`, else the reason. */
export function checkVec4(m: MapOp, s: MapSchedule, a: Vec4Access, lookup: BufferLookup): string | null {
  const write = a.access === 'write';
  if (!write && !(Number.isInteger(a.access) && (a.access as number) >= 0 && (a.access as number) < m.reads.length)) {
    return `vec4 access ${String(a.access)} is neither 'write' nor a read of the map (0 to ${m.reads.length - 1})`;
  }
  const what = write ? 'the write' : `read ${String(a.access)}`;
  const d = m.dims.find((x) => x.name === a.dim);
  if (!d) return `vec4 of ${what} along '${String(a.dim)}': not a dim of the map (${m.dims.map((x) => x.name).join(', ')})`;
  const block = (s.registerBlocks ?? []).find((b) => b.dim === a.dim);
  const unroll = (s.unroll ?? []).find((u) => u.dim === a.dim);
  if (block) {
    if (block.size % VEC !== 0) return `vec4 of ${what} along '${a.dim}': its register block of ${block.size} is not a multiple of 4`;
    // A tail tile clamps its lanes: groups of four then stay whole only if the extent divides.
    if (d.extent % VEC !== 0) return `vec4 of ${what} along '${a.dim}': the extent ${d.extent} is not a multiple of 4`;
  } else if (unroll && !write) {
    if (unroll.factor % VEC !== 0) return `vec4 of ${what} along '${a.dim}': it is unrolled by ${unroll.factor}, not a multiple of 4`;
  } else {
    return `vec4 of ${what} along '${a.dim}': the dim must be register-blocked by 4 or 8${write ? '' : ' or unrolled by 4 or 8'}`;
  }
  const mem = write ? m.write : m.reads[a.access as number];
  const buf = lookup.buffer(mem.buffer);
  if (buf.dtype !== 'float32') return `vec4 of ${what}: its buffer holds ${buf.dtype}, not float32`;
  const writeRoot = lookup.root(m.write.buffer).name;
  if (write) {
    // The written binding becomes array<vec4<f32>>: no scalar access of it may remain.
    const scalar = m.reads.findIndex((r) => lookup.root(r.buffer).name === writeRoot);
    if (scalar >= 0) return `vec4 of the write: read ${scalar} reads the written buffer, and a read_write binding cannot be aliased`;
  } else {
    const r = mem as Memlet;
    if (lookup.root(r.buffer).name === writeRoot) return `vec4 of ${what}: it reads the written buffer, and a read_write binding cannot be aliased`;
    if (r.pad !== undefined) return `vec4 of ${what}: a guarded (padded) read cannot be loaded four at a time`;
    if (r.index.some((e) => readsOf(e).size > 0)) return `vec4 of ${what}: an indirect read is not contiguous`;
  }
  const form = flatOffset(mem.index, buf.shape);
  if (!form) return `vec4 of ${what}: its index is not affine`;
  if ((form.coef[a.dim] ?? 0) !== 1) return `vec4 of ${what} along '${a.dim}': consecutive values of '${a.dim}' are ${form.coef[a.dim] ?? 0} elements apart, not 1`;
  // A dim of extent 1 (a 1×1 convolution's kernel dims) is always 0: its coefficient is moot.
  const extent = (name: string): number => m.dims.find((x) => x.name === name)?.extent ?? 0;
  const misaligned = Object.entries(form.coef).find(([name, k]) => name !== a.dim && k % VEC !== 0 && extent(name) !== 1);
  if (misaligned) return `vec4 of ${what}: '${misaligned[0]}' moves it by ${misaligned[1]} elements, not a multiple of 4, so it is not aligned`;
  if (form.offset % VEC !== 0) return `vec4 of ${what}: it starts ${form.offset} elements in, not a multiple of 4, so it is not aligned`;
  return null;
}

/**
 * The default's vec4 accesses: along register-blocked dims, where legal and adding no binding (a
 * read only where every read of its buffer can be one, since a buffer read both ways is bound
 * twice), the write where it can. On SwiftShader they cut the summed dispatch time of bert-layer
 * by about 4% and of vit-block by 3–11%.
 */
export function suggestVec4(m: MapOp, s: MapSchedule, lookup: BufferLookup): Vec4Access[] {
  const along = (access: number | 'write'): string | undefined =>
    (s.registerBlocks ?? []).map((b) => b.dim).find((dim) => checkVec4(m, s, { access, dim }, lookup) === null);
  const root = (r: number): string => lookup.root(m.reads[r].buffer).name;
  const reads = m.reads.map((_, r) => ({ access: r, dim: along(r) }));
  const whole = reads.filter((a) => reads.every((b) => b.dim !== undefined || root(b.access) !== root(a.access)));
  const write = along('write');
  return [...whole.map(({ access, dim }) => ({ access, dim: dim! })), ...(write ? [{ access: 'write' as const, dim: write }] : [])];
}
