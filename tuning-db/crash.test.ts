// Fault: a process writing records is killed with SIGKILL, as a crash or `kill -9` would. The file
// must stay sound and keep every transaction that had committed.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDbPath, WORKLOAD } from './testing/samples.js';
import { openTuningDb } from './tuning-db.js';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const writer = fileURLToPath(new URL('./testing/write-loop.ts', import.meta.url));

/** Starts the writer and kills it with SIGKILL once `batches` transactions have committed; their first trials. */
function writeThenKill(path: string, batches: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', tsx, writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const committed: number[] = [];
  let pending = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      committed.push(...lines.map(Number));
      if (committed.length >= batches) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(committed) : reject(new Error(`the writer exited with ${code}`))));
  });
}

describe('tuning database under kill -9', () => {
  it('keeps every committed record and passes integrity_check', async () => {
    const path = freshDbPath();
    const committed = await writeThenKill(path, 30);
    expect(committed.length).toBeGreaterThanOrEqual(30);
    // The kill left committed pages in the write-ahead log only: reopening must recover them.
    expect(existsSync(`${path}-wal`)).toBe(true);

    const db = await openTuningDb(path);
    expect(await db.integrityCheck()).toEqual(['ok']);
    const trials = new Set((await db.records(WORKLOAD.key)).map((r) => (r.schedule as { steps: { p: { trial: number } }[] }).steps[0].p.trial));
    const missing = committed.flatMap((first) => Array.from({ length: 20 }, (_, i) => first + i)).filter((t) => !trials.has(t));
    expect(missing).toEqual([]);
    // Batches are whole: a transaction the kill interrupted left nothing behind.
    expect(trials.size % 20).toBe(0);
    await db.close();
  });
});
