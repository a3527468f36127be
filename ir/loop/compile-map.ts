// Compiles one map of the loop-level IR into a JavaScript loop nest: parallel dims outermost,
// reduce dims innermost, each read through its memlet (guarded when it pads), the write
// converted to its buffer's dtype. Executing these is the loop interpreter; it trusts nothing
// but the maps and memlets, so it checks the lowering against the reference interpreter.

import { FreightError } from '../errors.js';
import { readsOf, type Expr } from '../expr.js';
import { erf, roundHalfEven, sigmoid } from '../math.js';
import { readOrder, WCR_IDENTITY, type Buffer, type MapOp, type Memlet } from '../program.js';
import { stridesOf, type DType } from '../tensor.js';

/** Storage of the loop interpreter: int64 as float64 numbers (exact below 2^53). */
export type Storage = Float32Array | Float64Array | Int32Array | Uint8Array;

export type CompiledMap = (storage: (name: string) => Storage) => void;

/** Float → integer as fromNumbers does it: truncation, NaN → 0. */
const toInt = (x: number): number => (Number.isNaN(x) ? 0 : Math.trunc(x));

function oob(buffer: string, index: readonly number[]): never {
  throw new FreightError(`an index computed at run time, [${index.join(', ')}], is out of range for '${buffer}'`);
}

const HELPERS = { erf, roundHalfEven, sigmoid, toInt, oob };

export function compileMap(m: MapOp, bufferOf: (name: string) => Buffer): CompiledMap {
  const names = [...new Set([m.write.buffer, ...m.reads.map((r) => r.buffer)])];
  const slot = (name: string): string => `B${names.indexOf(name)}`;
  const parallel = m.dims.filter((d) => !d.reduce);
  const reduce = m.dims.filter((d) => d.reduce);
  // A map with a wcr but no reduce dims is a one-point reduction: its epilogue still applies.
  const hasReduce = reduce.length > 0 || m.write.wcr !== undefined;
  if (reduce.length > 0 && !m.write.wcr) throw new Error('compileMap: a map with reduce dims needs a wcr');

  const bodyReads = readOrder(m, [m.body]);
  const epilogueReads = m.epilogue && hasReduce ? readOrder(m, [m.epilogue]) : [];
  const lines: string[] = [];
  const loop = (name: string, extent: number): string => `for (let v_${name} = 0; v_${name} < ${extent}; v_${name}++) {`;
  for (const d of parallel) lines.push(loop(d.name, d.extent));
  const target = offsetOf(m.write.buffer, m.write.index, bufferOf);
  const store = (value: string): string => `${slot(m.write.buffer)}[${target}] = ${convert(bufferOf(m.write.buffer).dtype, value)};`;
  if (!hasReduce) {
    for (const r of bodyReads) lines.push(readLine(m, r, bufferOf, slot));
    lines.push(store(expr(m.body)));
  } else {
    lines.push(`let acc = ${literal(WCR_IDENTITY[m.write.wcr!])};`);
    for (const d of reduce) lines.push(loop(d.name, d.extent));
    for (const r of bodyReads) lines.push(readLine(m, r, bufferOf, slot));
    lines.push(combine(m.write.wcr!, expr(m.body)));
    for (const _ of reduce) lines.push('}');
    for (const r of epilogueReads) lines.push(readLine(m, r, bufferOf, slot));
    lines.push(store(m.epilogue ? expr(m.epilogue) : 'acc'));
  }
  for (const _ of parallel) lines.push('}');

  const source = `const { erf, roundHalfEven, sigmoid, toInt, oob } = H;\n${names.map((n, i) => `const B${i} = S(${JSON.stringify(n)});`).join('\n')}\n${lines.join('\n')}`;
  const fn = new Function('S', 'H', source) as (s: (name: string) => Storage, h: typeof HELPERS) => void;
  return (storage) => fn(storage, HELPERS);
}

function readLine(m: MapOp, r: number, bufferOf: (name: string) => Buffer, slot: (name: string) => string): string {
  const memlet: Memlet = m.reads[r];
  const buf = bufferOf(memlet.buffer);
  const indirect = memlet.index.some((e) => readsOf(e).size > 0);
  if (memlet.pad === undefined && !indirect) return `const r${r} = ${slot(memlet.buffer)}[${offsetOf(memlet.buffer, memlet.index, bufferOf)}];`;
  const idx = memlet.index.map((e, i) => `const i${r}_${i} = ${expr(e)};`).join(' ');
  const inBounds = buf.shape.map((d, i) => `i${r}_${i} >= 0 && i${r}_${i} < ${d}`).join(' && ') || 'true';
  const strides = stridesOf(buf.shape);
  const off = buf.shape.map((_, i) => `i${r}_${i} * ${strides[i]}`).join(' + ') || '0';
  // An unguarded data-dependent read (Gather's indices) out of bounds is the model's error, not a
  // silent garbage value.
  const otherwise = memlet.pad !== undefined ? literal(memlet.pad)
    : `oob(${JSON.stringify(memlet.buffer)}, [${buf.shape.map((_, i) => `i${r}_${i}`).join(', ')}])`;
  return `${idx} const r${r} = (${inBounds}) ? ${slot(memlet.buffer)}[${off}] : ${otherwise};`;
}

function offsetOf(name: string, index: readonly Expr[], bufferOf: (name: string) => Buffer): string {
  const strides = stridesOf(bufferOf(name).shape);
  const terms = index.map((e, i) => (strides[i] === 1 ? `(${expr(e)})` : `(${expr(e)}) * ${strides[i]}`));
  return terms.join(' + ') || '0';
}

function combine(wcr: string, value: string): string {
  switch (wcr) {
    case 'sum': return `acc += ${value};`;
    case 'prod': return `acc *= ${value};`;
    case 'max': return `acc = Math.max(acc, ${value});`;
    case 'min': return `acc = Math.min(acc, ${value});`;
    default: throw new Error(`unknown wcr ${wcr}`);
  }
}

/** Conversion on store; typed arrays already round float32 and wrap int32. */
function convert(dtype: DType, value: string): string {
  switch (dtype) {
    case 'int64': return `toInt(${value})`;
    case 'bool': return `((${value}) !== 0 ? 1 : 0)`;
    default: return value;
  }
}

function literal(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Object.is(x, -0) ? '-0' : String(x);
}

const UNARY: Record<string, (a: string) => string> = {
  neg: (a) => `(-${a})`, abs: (a) => `Math.abs(${a})`, sqrt: (a) => `Math.sqrt(${a})`,
  exp: (a) => `Math.exp(${a})`, log: (a) => `Math.log(${a})`, erf: (a) => `erf(${a})`,
  tanh: (a) => `Math.tanh(${a})`, sigmoid: (a) => `sigmoid(${a})`, recip: (a) => `(1 / ${a})`,
  floor: (a) => `Math.floor(${a})`, ceil: (a) => `Math.ceil(${a})`, round: (a) => `roundHalfEven(${a})`,
  trunc: (a) => `Math.trunc(${a})`, not: (a) => `(${a} === 0 ? 1 : 0)`, sin: (a) => `Math.sin(${a})`,
  cos: (a) => `Math.cos(${a})`, sign: (a) => `Math.sign(${a})`, isnan: (a) => `(Number.isNaN(${a}) ? 1 : 0)`,
};

const BINARY: Record<string, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`, sub: (a, b) => `(${a} - ${b})`, mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`, pow: (a, b) => `Math.pow(${a}, ${b})`,
  min: (a, b) => `Math.min(${a}, ${b})`, max: (a, b) => `Math.max(${a}, ${b})`,
  idiv: (a, b) => `Math.floor(${a} / ${b})`, mod: (a, b) => `((${a} % ${b}) + ${b}) % ${b}`,
  lt: (a, b) => `(${a} < ${b} ? 1 : 0)`, le: (a, b) => `(${a} <= ${b} ? 1 : 0)`,
  gt: (a, b) => `(${a} > ${b} ? 1 : 0)`, ge: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  eq: (a, b) => `(${a} === ${b} ? 1 : 0)`, ne: (a, b) => `(${a} !== ${b} ? 1 : 0)`,
  and: (a, b) => `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`, or: (a, b) => `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`,
};

const CAST: Record<DType, (a: string) => string> = {
  float32: (a) => `Math.fround(${a})`,
  int64: (a) => `toInt(${a})`,
  int32: (a) => `(toInt(${a}) | 0)`,
  bool: (a) => `(${a} !== 0 ? 1 : 0)`,
};

function expr(e: Expr): string {
  switch (e.k) {
    case 'const': return literal(e.v);
    case 'var': return `v_${e.name}`;
    case 'read': return `r${e.m}`;
    case 'acc': return 'acc';
    case 'un': return UNARY[e.op](expr(e.a));
    case 'bin': return BINARY[e.op](expr(e.a), expr(e.b));
    case 'sel': return `(${expr(e.c)} !== 0 ? ${expr(e.a)} : ${expr(e.b)})`;
    case 'cast': return CAST[e.to](expr(e.a));
  }
}
