// The canonical text of a kernel and its workload key, by which the tuning database finds the
// schedules measured for it. The text spells out what the generated code depends on — every map's
// dims, memlets and bodies, and the dtype, shape and kind of every buffer touched — and nothing
// that merely names things: buffers are numbered in order of first use (write before reads, map
// by map), iteration variables by their dim's position, kernel ids and node names are left out.
// So two identical convolutions in different layers share a key, while a change of any extent does
// not. Aliases keep their structure: each buffer is spelled with the number of its storage, since
// buffers that share storage share a binding in the generated code.

import { createHash } from 'node:crypto';
import type { Expr } from './expr.js';
import type { Graph } from './graph.js';
import { storageOf, type Buffer, type Kernel, type MapOp, type Program } from './program.js';
import { formatShape } from './tensor.js';

/** A readable description of a workload for people browsing the database. */
export interface WorkloadSummary {
  /** Operator types of the kernel's nodes, in order (node names where the graph is not given). */
  readonly ops: readonly string[];
  /** `dtype[shape]` of every buffer the kernel touches, in canonical order (its first write first). */
  readonly shapes: readonly string[];
}

export function canonicalKernel(program: Program, kernel: Kernel): string {
  const buffers = numberBuffers(program, kernel);
  const storages = new Map<string, number>();
  const lines: string[] = [];
  for (const [name, n] of buffers) {
    const root = storageOf(program, name);
    if (!storages.has(root.name)) storages.set(root.name, storages.size);
    const b = program.buffers.get(name)!;
    lines.push(`b${n} = ${bufferType(b)} ${b.kind} in s${storages.get(root.name)}`);
  }
  for (const [name, n] of storages) lines.push(`s${n} = ${bufferType(program.buffers.get(name)!)}`);
  kernel.maps.forEach((m, i) => lines.push(...canonicalMap(m, i, (name) => buffers.get(name)!)));
  return lines.join('\n');
}

/** sha256 (hex) of the canonical kernel: the key of its workload in the tuning database. */
export function workloadKey(program: Program, kernel: Kernel): string {
  return createHash('sha256').update(canonicalKernel(program, kernel)).digest('hex');
}

export function workloadSummary(program: Program, kernel: Kernel, graph?: Graph): WorkloadSummary {
  const opOf = new Map(graph?.nodes.map((n) => [n.name, n.op]) ?? []);
  return {
    ops: kernel.ops.map((name) => opOf.get(name) ?? name),
    shapes: [...numberBuffers(program, kernel).keys()].map((name) => bufferType(program.buffers.get(name)!)),
  };
}

/** Buffer names numbered in order of first use: each map's write, then its reads. */
function numberBuffers(program: Program, kernel: Kernel): Map<string, number> {
  const numbers = new Map<string, number>();
  const use = (name: string): void => {
    if (!program.buffers.has(name)) throw new Error(`kernel ${kernel.id} uses unknown buffer ${name}`);
    if (!numbers.has(name)) numbers.set(name, numbers.size);
  };
  for (const m of kernel.maps) {
    use(m.write.buffer);
    for (const r of m.reads) use(r.buffer);
  }
  return numbers;
}

const bufferType = (b: Buffer): string => `${b.dtype}${formatShape(b.shape)}`;

function canonicalMap(m: MapOp, i: number, buffer: (name: string) => number): string[] {
  const dims = new Map(m.dims.map((d, j) => [d.name, j]));
  const e = (x: Expr): string => canonicalExpr(x, (name) => {
    const j = dims.get(name);
    if (j === undefined) throw new Error(`map ${i} uses variable ${name}, which is none of its dims`);
    return j;
  });
  const index = (xs: readonly Expr[]): string => `[${xs.map(e).join(', ')}]`;
  const lines = [`map ${i} over [${m.dims.map((d) => `${d.extent}${d.reduce ? 'r' : ''}`).join(', ')}]`];
  m.reads.forEach((r, j) => lines.push(`  read ${j} = b${buffer(r.buffer)}${index(r.index)}${r.pad === undefined ? '' : ` pad ${num(r.pad)}`}`));
  lines.push(`  body = ${e(m.body)}`);
  if (m.epilogue) lines.push(`  epilogue = ${e(m.epilogue)}`);
  lines.push(`  write b${buffer(m.write.buffer)}${index(m.write.index)}${m.write.wcr ? ` ${m.write.wcr}` : ''}`);
  return lines;
}

/** Prefix form; variables as `$position`, reads as `@memlet`. */
function canonicalExpr(x: Expr, dim: (name: string) => number): string {
  const p = (y: Expr): string => canonicalExpr(y, dim);
  switch (x.k) {
    case 'const': return num(x.v);
    case 'var': return `$${dim(x.name)}`;
    case 'read': return `@${x.m}`;
    case 'acc': return 'acc';
    case 'un': return `(${x.op} ${p(x.a)})`;
    case 'cast': return `(${x.to} ${p(x.a)})`;
    case 'bin': return `(${x.op} ${p(x.a)} ${p(x.b)})`;
    case 'sel': return `(sel ${p(x.c)} ${p(x.a)} ${p(x.b)})`;
  }
}

/** Every number exactly, -0, infinities and NaN included (JSON would turn the last three into null). */
const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
