// `freight db export|import`: the tuning records as versioned JSON lines, self-contained (the
// devices and workloads the records refer to come first), so that a file moves tuning results
// between machines or survives a corrupt database.
//
//   {"format":"freight-tuning-db","version":1}
//   {"kind":"device","fingerprint":"…","name":"…","description":{…}}
//   {"kind":"workload","key":"…","summary":{…}}
//   {"kind":"record","workload":"…","device":"…","format":1,"schedule":{…},"stats":{…}|null,…}
//
// An import is all or nothing: every line is checked before one transaction writes them. The one
// exception is a last line cut short (no closing newline, not valid JSON), as an interrupted export
// leaves it: it is skipped with a warning. Records already present are not added twice.

import { FreightError } from '../ir/errors.js';
import type { TuningDb } from './tuning-db.js';
import { recordProblem } from './tuning-db.js';
import { FAILURE_KINDS, type Comparison, type Device, type NewRecord, type Workload } from './types.js';

export const EXPORT_FORMAT = 'freight-tuning-db';
export const EXPORT_VERSION = 1;

export async function* exportLines(db: TuningDb): AsyncGenerator<string> {
  yield line({ format: EXPORT_FORMAT, version: EXPORT_VERSION });
  for (const d of await db.devices()) yield line({ kind: 'device', ...d });
  for (const w of await db.workloads()) yield line({ kind: 'workload', ...w });
  for await (const { id: _, ...r } of db.allRecords()) yield line({ kind: 'record', ...r });
}

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

export interface ParsedExport {
  readonly devices: readonly Device[];
  readonly workloads: readonly Workload[];
  readonly records: readonly NewRecord[];
}

export interface ImportSummary {
  readonly devices: number;
  readonly workloads: number;
  /** Records added; the others were already in the database. */
  readonly added: number;
  readonly duplicates: number;
}

export async function importLines(db: TuningDb, text: string, file: string, warn: (message: string) => void): Promise<ImportSummary> {
  const parsed = parseExport(text, file, warn);
  const added = await db.write(async (w) => {
    for (const d of parsed.devices) await w.upsertDevice(d);
    for (const wl of parsed.workloads) await w.upsertWorkload(wl);
    return w.addRecords(parsed.records);
  });
  return { devices: parsed.devices.length, workloads: parsed.workloads.length, added, duplicates: parsed.records.length - added };
}

/** Every line checked; the first bad one is a FreightError naming it. */
export function parseExport(text: string, file: string, warn: (message: string) => void): ParsedExport {
  const lines = text.split('\n');
  const devices = new Map<string, Device>();
  const workloads = new Map<string, Workload>();
  const records: NewRecord[] = [];
  let header = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const at = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch {
      // Only the last piece can lack its newline: that is where a cut falls.
      if (i === lines.length - 1 && header) {
        warn(`${at} is cut short (an interrupted export?); skipped it`);
        continue;
      }
      throw new FreightError(`${at} is not JSON`);
    }
    const problem = (reason: string): FreightError => new FreightError(`${at}: ${reason}`);
    if (!isObject(value)) throw problem('expected a JSON object');
    if (!header) {
      if (value.format !== EXPORT_FORMAT) throw new FreightError(`${file} is not a freight tuning database export: its first line lacks "format": "${EXPORT_FORMAT}"`);
      if (typeof value.version !== 'number' || value.version > EXPORT_VERSION) {
        throw new FreightError(`${file} was exported by a newer freight (export version ${String(value.version)}; this freight reads up to ${EXPORT_VERSION})`);
      }
      header = true;
      continue;
    }
    if (value.kind === 'device') {
      const fingerprint = stringField(value, 'fingerprint', problem);
      devices.set(fingerprint, { fingerprint, name: stringField(value, 'name', problem), description: value.description ?? null });
    } else if (value.kind === 'workload') {
      const key = stringField(value, 'key', problem);
      workloads.set(key, { key, summary: value.summary ?? null });
    } else if (value.kind === 'record') {
      const r = recordOf(value, problem);
      if (!devices.has(r.device)) throw problem(`the record's device ${r.device} has no device line before it`);
      if (!workloads.has(r.workload)) throw problem(`the record's workload ${r.workload} has no workload line before it`);
      records.push(r);
    } else {
      throw problem(`unknown kind ${JSON.stringify(value.kind)} (expected device, workload or record)`);
    }
  }
  if (!header) throw new FreightError(`${file} is empty: a tuning database export starts with a header line`);
  return { devices: [...devices.values()], workloads: [...workloads.values()], records };
}

type Problem = (reason: string) => FreightError;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringField(o: Record<string, unknown>, key: string, problem: Problem): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw problem(`"${key}" must be a non-empty string`);
  return v;
}

function numberOrNull(o: Record<string, unknown>, key: string, problem: Problem): number | null {
  const v = o[key] ?? null;
  if (v !== null && typeof v !== 'number') throw problem(`"${key}" must be a number or null`);
  return v;
}

function recordOf(o: Record<string, unknown>, problem: Problem): NewRecord {
  const failure = o.failure ?? null;
  if (failure !== null && !FAILURE_KINDS.includes(failure as never)) throw problem(`"failure" must be null or one of ${FAILURE_KINDS.join(', ')}`);
  const stats = o.stats ?? null;
  if (stats !== null && !(isObject(stats) && ['medianMs', 'minMs', 'maxMs', 'runs'].every((k) => typeof stats[k] === 'number'))) {
    throw problem('"stats" must be null or {medianMs, minMs, maxMs, runs}');
  }
  if (!('schedule' in o)) throw problem('the record has no "schedule"');
  const detail = o.detail ?? null;
  if (detail !== null && typeof detail !== 'string') throw problem('"detail" must be a string or null');
  const comparison = o.comparison ?? null;
  if (comparison !== null && !(isObject(comparison) && typeof comparison.ratio === 'number' && typeof comparison.upper === 'number' && Array.isArray(comparison.ratios))) {
    throw problem('"comparison" must be null or {ratio, upper, ratios}');
  }
  const r: NewRecord = {
    workload: stringField(o, 'workload', problem),
    device: stringField(o, 'device', problem),
    format: o.format as number,
    schedule: o.schedule,
    stats: stats as NewRecord['stats'],
    predictedMs: numberOrNull(o, 'predictedMs', problem),
    failure: failure as NewRecord['failure'],
    detail,
    maxError: numberOrNull(o, 'maxError', problem),
    tolerance: numberOrNull(o, 'tolerance', problem),
    createdAt: stringField(o, 'createdAt', problem),
    ...(comparison ? { comparison: comparison as unknown as Comparison } : {}),
  };
  const reason = recordProblem(r);
  if (reason) throw problem(`the record is invalid: ${reason}`);
  return r;
}
