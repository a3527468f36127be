// Reads a tensor's external data (data_location = EXTERNAL) from a file beside the model, after
// checking that the file cannot be used to read anything else: a relative location inside the
// model's folder (also after resolving links), a regular file that is neither a symbolic link nor
// a hard link, and a byte range inside the file. Every refusal happens before any byte is read,
// and only the tensor's range is read.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { ExternalReader } from './decode-tensor.js';

/** A reader for tensors of the model at `modelPath`; without a path every external tensor is refused. */
export function externalDataReader(modelPath: string | undefined): ExternalReader {
  return (what, entries, byteLength) => readExternalData(modelPath, what, entries, byteLength);
}

export function readExternalData(
  modelPath: string | undefined,
  what: string,
  entries: readonly pb.IStringStringEntryProto[],
  byteLength: number,
): Uint8Array {
  const keys = new Map<string, string>();
  for (const e of entries) keys.set(e.key ?? '', e.value ?? '');
  const location = keys.get('location') ?? '';
  const refuse = (why: string): FreightError =>
    new FreightError(`${what} keeps its data in external file "${location}", which is refused: ${why}.`);

  if (location === '') throw refuse('no location is given');
  if (modelPath === undefined) throw refuse('external data can only be read when the model is loaded from a file');
  if (location.includes('\0')) throw refuse('the location contains a NUL character');
  if (path.isAbsolute(location) || path.win32.isAbsolute(location)) throw refuse('the location is an absolute path');
  const offset = parseCount(keys.get('offset') ?? '0');
  if (offset === undefined) throw refuse(`its offset "${keys.get('offset')}" is not a byte count`);
  const lengthText = keys.get('length');
  if (lengthText !== undefined) {
    const length = parseCount(lengthText);
    if (length === undefined) throw refuse(`its length "${lengthText}" is not a byte count`);
    if (length !== byteLength) throw refuse(`its length is ${length} bytes but the tensor's shape needs ${byteLength}`);
  }

  let folder: string;
  try {
    folder = fs.realpathSync(path.dirname(path.resolve(modelPath)));
  } catch {
    throw refuse(`the model's folder "${path.dirname(modelPath)}" cannot be resolved`);
  }
  const file = path.resolve(folder, location);
  if (!isInside(folder, file)) throw refuse("it lies outside the model's folder");
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw refuse(describeFsError(e));
  }
  if (st.isSymbolicLink()) throw refuse('it is a symbolic link');
  if (!st.isFile()) throw refuse('it is not a regular file');
  if (st.nlink !== 1) throw refuse(`it is a hard link (the file has ${st.nlink} names)`);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    throw refuse(describeFsError(e));
  }
  // A linked folder on the way (location "sub/w.bin" with sub -> /etc) shows up only here.
  if (!isInside(folder, real)) throw refuse("its real path lies outside the model's folder");
  if (offset + byteLength > st.size) {
    throw refuse(`bytes ${offset} to ${offset + byteLength} lie beyond the end of the file (${st.size} bytes)`);
  }
  return readRange(file, st, offset, byteLength, refuse);
}

/** Reads the range, refusing if the file was swapped for another between the checks and the open. */
function readRange(
  file: string,
  checked: fs.Stats,
  offset: number,
  length: number,
  refuse: (why: string) => FreightError,
): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    throw refuse(describeFsError(e));
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.ino !== checked.ino || st.dev !== checked.dev || !st.isFile() || st.nlink !== 1) {
      throw refuse('the file changed while it was being checked');
    }
    let out: Uint8Array;
    try {
      out = new Uint8Array(length);
    } catch {
      throw refuse(`its ${length} bytes cannot be held in memory`);
    }
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, out, done, length - done, offset + done);
      if (n === 0) throw refuse('the file ended before the tensor did');
      done += n;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function isInside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function parseCount(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'it is a symbolic link';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  return `it cannot be opened (${code ?? String(e)})`;
}
