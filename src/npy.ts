// NumPy .npy files (format versions 1.0, 2.0 and 3.0): the exchange format of `freight run`.
// Reads float32/float64/int64/int32/int8-16/uint8-32/bool in either byte order and either memory
// order; writes version 1.0 (2.0 when the header needs it) in little-endian C order.

import { FreightError } from '../ir/errors.js';
import { fromNumbers, sizeOf, stridesOf, type DType, type Tensor } from '../ir/tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface Descr {
  readonly kind: 'f' | 'i' | 'u' | 'b';
  readonly bytes: number;
  readonly little: boolean;
}

/** Parses a .npy file; `what` names it in errors. */
export function readNpy(bytes: Uint8Array, what: string): Tensor {
  const fail = (why: string): never => { throw new FreightError(`${what} is not a valid .npy file: ${why}`); };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('it does not start with the NumPy magic string');
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`format version ${major}.${bytes[7]} is not 1, 2 or 3`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail('the header is truncated');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (start + headerLen > bytes.length) fail('the header is truncated');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, fail);
  const n = sizeOf(shape);
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < n * descr.bytes) fail(`it holds ${bytes.length - dataStart} data bytes, but shape (${shape.join(', ')}) needs ${n * descr.bytes}`);

  const values = new Float64Array(n);
  let bigints: BigInt64Array | undefined;
  for (let i = 0; i < n; i++) {
    const at = dataStart + i * descr.bytes;
    if (descr.kind === 'i' && descr.bytes === 8) {
      (bigints ??= new BigInt64Array(n))[i] = view.getBigInt64(at, descr.little);
    } else if (descr.kind === 'u' && descr.bytes === 8) {
      (bigints ??= new BigInt64Array(n))[i] = BigInt.asIntN(64, view.getBigUint64(at, descr.little));
    } else {
      values[i] = readScalar(view, at, descr);
    }
  }
  const dtype = dtypeFor(descr);
  const cOrder = fortran ? fortranToC(shape) : undefined;
  if (bigints) {
    const data = cOrder ? BigInt64Array.from(cOrder, (j) => bigints![j]) : bigints;
    return { dtype, shape, data };
  }
  return fromNumbers(dtype, shape, cOrder ? Float64Array.from(cOrder, (j) => values[j]) : values);
}

/** Serializes a tensor as a .npy file. */
export function writeNpy(t: Tensor): Uint8Array {
  const descr = { float32: '<f4', int64: '<i8', int32: '<i4', bool: '|b1' }[t.dtype];
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const major = header.length + 11 > 0xffff ? 2 : 1;
  const prefix = 8 + (major === 1 ? 2 : 4);
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header.padEnd(total - prefix - 1, ' ') + '\n';
  const data = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(total + data.length);
  out.set(MAGIC);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(data, total); // typed arrays are little-endian on every platform Node supports
  return out;
}

function parseHeader(header: string, fail: (why: string) => never): { descr: Descr; fortran: boolean; shape: number[] } {
  const descrMatch = /'descr'\s*:\s*'([<>|=])([a-zA-Z])(\d+)'/.exec(header);
  const fortranMatch = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descrMatch || !fortranMatch || !shapeMatch) return fail(`its header is malformed: ${header.trim()}`);
  const [, order, kind, size] = descrMatch;
  const descr: Descr = { kind: kind as Descr['kind'], bytes: Number(size), little: order !== '>' };
  const known = (descr.kind === 'f' && (descr.bytes === 4 || descr.bytes === 8))
    || ((descr.kind === 'i' || descr.kind === 'u') && [1, 2, 4, 8].includes(descr.bytes))
    || (descr.kind === 'b' && descr.bytes === 1);
  if (!known) fail(`dtype '${order}${kind}${size}' is not supported (use float32, int64, int32 or bool)`);
  const shape = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`its shape (${shapeMatch[1]}) is not a tuple of sizes`);
  return { descr, fortran: fortranMatch[1] === 'True', shape };
}

function readScalar(view: DataView, at: number, d: Descr): number {
  switch (d.kind) {
    case 'f': return d.bytes === 4 ? view.getFloat32(at, d.little) : view.getFloat64(at, d.little);
    case 'b': return view.getUint8(at) !== 0 ? 1 : 0;
    case 'i': return d.bytes === 1 ? view.getInt8(at) : d.bytes === 2 ? view.getInt16(at, d.little) : view.getInt32(at, d.little);
    case 'u': return d.bytes === 1 ? view.getUint8(at) : d.bytes === 2 ? view.getUint16(at, d.little) : view.getUint32(at, d.little);
  }
}

/** freight's dtype for a .npy dtype: floats become float32, 64-bit integers int64, others int32. */
function dtypeFor(d: Descr): DType {
  if (d.kind === 'f') return 'float32';
  if (d.kind === 'b') return 'bool';
  return d.bytes === 8 || (d.kind === 'u' && d.bytes === 4) ? 'int64' : 'int32';
}

/** For each C-order position, the position of the same element in Fortran order. */
function fortranToC(shape: readonly number[]): Int32Array {
  const n = sizeOf(shape);
  const fStrides = stridesOf([...shape].reverse()).reverse();
  const map = new Int32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let a = 0; a < shape.length; a++) j += idx[a] * fStrides[a];
    map[i] = j;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  return map;
}
