// Runs freight's command line as a user does — `node bin/freight.js ARGS` in a child process — and
// reads its --json answer. A non-zero exit becomes an error carrying freight's own message.

import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/freight.js');

export interface CliResult {
  /** Exit status: 0 success, 1 failure, 2 bad usage. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** Runs `freight ARGS`; a run past `timeoutMs` is killed, so that no orphan outlives a test. */
export function freightCli(args: readonly string[], timeoutMs = 0): Promise<CliResult> {
  const start = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 256 << 20, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const killed = error?.killed ? `killed after ${timeoutMs} ms\n` : '';
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr: killed + stderr, wallMs: performance.now() - start });
    });
  });
}

/** Runs `freight ARGS --json` and parses stdout; throws with the command and its stderr on failure. */
export async function freightJson<T>(args: readonly string[], timeoutMs = 0): Promise<T> {
  const r = await freightCli([...args, '--json'], timeoutMs);
  if (r.code !== 0) {
    throw new Error(`freight ${args[0]} exited with ${r.code}: ${r.stderr.trim() || '(no message)'}\n  command: freight ${args.map(quote).join(' ')} --json`);
  }
  return JSON.parse(r.stdout) as T;
}

const quote = (s: string): string => (/^[\w./:=,@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
