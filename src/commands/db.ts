// `freight db export [--db FILE] [--out FILE|-]` and `freight db import FILE [--db FILE]`: the
// tuning records as versioned JSON lines (tuning-db/jsonl.ts), to move them between machines or
// keep them safe. An export to a file is written beside it and renamed into place, so an
// interrupted export never leaves a half file under the name asked for.

import { readFileSync, renameSync, rmSync, createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { FreightError } from '../../ir/errors.js';
import { defaultDbPath, exportLines, importLines, openTuningDb, type ImportSummary } from '../../tuning-db/index.js';

/** Writes the export of the database at `dbPath` to `out`; returns how many lines it wrote. */
export async function exportDb(dbPath: string, out: Writable | string): Promise<number> {
  const db = await openTuningDb(dbPath, { create: false });
  let lines = 0;
  const counted = async function* (): AsyncGenerator<string> {
    for await (const line of exportLines(db)) {
      lines++;
      yield line;
    }
  };
  try {
    if (typeof out !== 'string') {
      // A reader that stops early (`| head`) closes the pipe: that ends the export, quietly.
      await pipeline(Readable.from(counted()), out, { end: false }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
      return lines;
    }
    const partial = `${out}.partial`;
    try {
      await pipeline(Readable.from(counted()), createWriteStream(partial));
    } catch (e) {
      rmSync(partial, { force: true });
      throw fileError(e, `cannot write ${out}`);
    }
    renameSync(partial, out);
    return lines;
  } finally {
    await db.close();
  }
}

/** Imports the export `file` into the database at `dbPath` in one transaction. */
export async function importDb(file: string, dbPath: string, warn: (message: string) => void): Promise<ImportSummary> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw fileError(e, `cannot read ${file}`);
  }
  const db = await openTuningDb(dbPath);
  try {
    return await importLines(db, text, file, warn);
  } finally {
    await db.close();
  }
}

/** A file system error as a sentence; anything else (a FreightError from the database) as it is. */
function fileError(e: unknown, what: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FreightError(`${what}: no such file or folder`);
  if (code === 'EACCES' || code === 'EPERM') return new FreightError(`${what}: permission denied`);
  if (code === 'EISDIR') return new FreightError(`${what}: it is a folder`);
  return e;
}

const dbHelp = 'tuning database (default: $FREIGHT_DB, else $XDG_CACHE_HOME/freight/tuning.db, else ~/.cache/freight/tuning.db)';

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('export and import the tuning database');
  db.command('export')
    .description('write every device, workload and tuning record as versioned JSON lines')
    .option('--db <FILE>', dbHelp)
    .option('--out <FILE>', "the file to write, or '-' for stdout", '-')
    .action(async (opts: { db?: string; out: string }) => {
      const dbPath = opts.db ?? defaultDbPath(process.env);
      const lines = await exportDb(dbPath, opts.out === '-' ? process.stdout : opts.out);
      process.stderr.write(`wrote ${lines} line(s) of ${dbPath} to ${opts.out === '-' ? 'stdout' : opts.out}\n`);
    });
  db.command('import')
    .description("add the records of a 'freight db export' file (all of them or, on any bad line, none)")
    .argument('<FILE>', 'a file written by freight db export')
    .option('--db <FILE>', dbHelp)
    .action(async (file: string, opts: { db?: string }) => {
      const dbPath = opts.db ?? defaultDbPath(process.env);
      const s = await importDb(file, dbPath, (m) => process.stderr.write(`freight: warning: ${m}\n`));
      process.stderr.write(`imported ${s.added} record(s) (${s.duplicates} already present), ${s.devices} device(s), ${s.workloads} workload(s) into ${dbPath}\n`);
    });
}
