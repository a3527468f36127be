// The printed form of a Program (`freight inspect MODEL --program`): buffers, then every kernel
// with its maps as loops, reads and writes spelled as memlets.

import { printExpr, type Expr } from './expr.js';
import type { Graph } from './graph.js';
import type { MapOp, Memlet, Program } from './program.js';
import { formatShape } from './tensor.js';

export function printProgram(p: Program, g?: Graph): string {
  const lines: string[] = [];
  const maps = p.kernels.reduce((n, k) => n + k.maps.length, 0);
  lines.push(`program: ${p.inputs.length} input(s), ${p.outputs.length} output(s), ${p.kernels.length} kernel(s), ${maps} map(s)`);
  lines.push('buffers:');
  const width = Math.max(...[...p.buffers.keys()].map((n) => n.length), 4);
  for (const b of p.buffers.values()) {
    const type = `${b.dtype}${formatShape(b.shape)}`;
    lines.push(`  ${b.name.padEnd(width)}  ${type.padEnd(24)} ${b.kind}${b.aliasOf ? ` (alias of ${b.aliasOf})` : ''}`);
  }
  const opOf = new Map(g?.nodes.map((n) => [n.name, n.op]) ?? []);
  for (const k of p.kernels) {
    lines.push('');
    const ops = k.ops.map((name) => (opOf.has(name) ? `${name} (${opOf.get(name)})` : name)).join(', ');
    lines.push(`${k.id}  ${ops || 'copy to output'}`);
    for (const m of k.maps) lines.push(...printMap(m).map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

export function printMap(m: MapOp): string[] {
  const parallel = m.dims.filter((d) => !d.reduce).map((d) => `${d.name}<${d.extent}`);
  const reduce = m.dims.filter((d) => d.reduce).map((d) => `${d.name}<${d.extent}`);
  const domain = reduce.length ? `${parallel.join(', ')} | ${m.write.wcr} over ${reduce.join(', ')}` : parallel.join(', ');
  const readName = (i: number): string => memlet(m.reads[i], readName);
  const target = memlet(m.write, readName);
  const out = [`for [${domain}]:`];
  if (!reduce.length) {
    out.push(`  ${target} = ${printExpr(m.body, readName)}`);
  } else {
    out.push(`  acc = ${m.write.wcr}(${printExpr(m.body, readName)})`);
    out.push(`  ${target} = ${m.epilogue ? printExpr(m.epilogue, readName) : 'acc'}`);
  }
  return out;
}

function memlet(m: Memlet | MapOp['write'], readName: (i: number) => string): string {
  const index = m.index.map((e: Expr) => printExpr(e, readName)).join(', ');
  const pad = 'pad' in m && m.pad !== undefined ? `?${printExpr({ k: 'const', v: m.pad })}` : '';
  return `${m.buffer}[${index}]${pad}`;
}
