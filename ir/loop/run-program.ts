// The loop interpreter: runs a Program by executing its kernels' maps in order over flat
// storage, one array per storage buffer (aliases share their target's array).

import { checkInput } from '../reference.js';
import { storageOf, type Buffer, type Program } from '../program.js';
import { fromNumbers, sizeOf, toNumbers, type DType, type Tensor } from '../tensor.js';
import { compileMap, type CompiledMap, type Storage } from './compile-map.js';

export interface CompiledProgram {
  run(inputs: Readonly<Record<string, Tensor>>): Map<string, Tensor>;
}

export function compileProgram(p: Program): CompiledProgram {
  const bufferOf = (name: string): Buffer => {
    const b = p.buffers.get(name);
    if (!b) throw new Error(`loop interpreter: unknown buffer ${name}`);
    return b;
  };
  const maps: CompiledMap[] = p.kernels.flatMap((k) => k.maps.map((m) => compileMap(m, bufferOf)));
  const constants = new Map([...p.constants].map(([name, t]) => [name, toStorage(t)]));
  const values = new Map([...p.buffers.values()].map((b) => [b.name, b]));

  return {
    run(inputs) {
      const arrays = new Map<string, Storage>(constants);
      for (const name of p.inputs) arrays.set(name, toStorage(checkInput({ values }, name, inputs[name])));
      const storage = (name: string): Storage => {
        const root = storageOf(p, name);
        let a = arrays.get(root.name);
        if (!a) {
          a = allocStorage(root.dtype, sizeOf(root.shape));
          arrays.set(root.name, a);
        }
        return a;
      };
      for (const m of maps) m(storage);
      return new Map(p.outputs.map(({ name, buffer }) => {
        const b = bufferOf(buffer);
        return [name, toTensor(b, storage(buffer))];
      }));
    },
  };
}

export function runProgram(p: Program, inputs: Readonly<Record<string, Tensor>>): Map<string, Tensor> {
  return compileProgram(p).run(inputs);
}

/**
 * Fresh storage is poisoned (NaN, or a value no valid write leaves) so that an element a map
 * forgets to write shows up in the comparison with the reference instead of passing as zero.
 */
function allocStorage(dtype: DType, n: number): Storage {
  switch (dtype) {
    case 'float32': return new Float32Array(n).fill(NaN);
    case 'int64': return new Float64Array(n).fill(NaN);
    case 'int32': return new Int32Array(n).fill(UNWRITTEN_INT32);
    case 'bool': return new Uint8Array(n).fill(UNWRITTEN_BOOL);
  }
}

const UNWRITTEN_INT32 = -2147483648;
const UNWRITTEN_BOOL = 0x55;

function toTensor(b: Buffer, a: Storage): Tensor {
  const unwritten = b.dtype === 'int64' ? a.findIndex(Number.isNaN)
    : b.dtype === 'bool' ? a.indexOf(UNWRITTEN_BOOL) : -1;
  if (unwritten >= 0) throw new Error(`loop interpreter: element ${unwritten} of ${b.name} was never written`);
  return fromNumbers(b.dtype, b.shape, a);
}

function toStorage(t: Tensor): Storage {
  if (t.dtype === 'int64') return toNumbers(t);
  const a = allocStorage(t.dtype, t.data.length);
  a.set(t.data as ArrayLike<number>);
  return a;
}
