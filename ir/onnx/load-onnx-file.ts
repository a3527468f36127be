// Reads an .onnx file and imports it; every error names the file as the user wrote it.

import * as fs from 'node:fs';
import { FreightError } from '../errors.js';
import type { RawModel } from '../graph.js';
import { importOnnx } from './import-onnx.js';

export function loadOnnxFile(path: string): RawModel {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw new FreightError(`cannot read ${path}: ${describeReadError(e)}.`, { cause: e });
  }
  return importOnnx(bytes, { modelPath: path });
}

function describeReadError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ERR_FS_FILE_TOO_LARGE': return 'the file is too large to read at once';
    default: return code ?? (e instanceof Error ? e.message : String(e));
  }
}
