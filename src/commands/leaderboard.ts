// `freight leaderboard [--db FILE] [--json]`: per model and device, the last bench's tuned and
// untuned freight and ORT WebGPU medians, the speed-ups, and the tuning spent (trials, time).

import Table from 'cli-table3';
import type { Command } from 'commander';
import { defaultDbPath, openTuningDb, type LeaderboardRow } from '../../tuning-db/index.js';
import { fmtMs } from './bench.js';

export async function leaderboard(dbPath: string): Promise<LeaderboardRow[]> {
  const db = await openTuningDb(dbPath, { create: false });
  try {
    return await db.leaderboard();
  } finally {
    await db.close();
  }
}

export function formatLeaderboard(rows: readonly LeaderboardRow[]): string {
  if (rows.length === 0) return 'no model has been benched or tuned with this database yet (freight bench MODEL --db FILE)';
  const ms = (x: number | null): string => (x === null ? '–' : fmtMs(x));
  const times = (x: number | null): string => (x === null ? '–' : `${x.toFixed(2)}×`);
  const table = new Table({
    head: ['model', 'device', 'tuned ms', 'untuned ms', 'ort-webgpu ms', 'vs untuned', 'vs ort-webgpu', 'trials', 'tuning time'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    table.push([r.modelName, r.deviceName, ms(r.tunedMs), ms(r.untunedMs), ms(r.ortWebgpuMs), times(r.speedupVsUntuned), times(r.speedupVsOrt), r.trials, `${(r.tuningMs / 1000).toFixed(0)} s`]);
  }
  return table.toString();
}

export function registerLeaderboardCommand(program: Command): void {
  program.command('leaderboard')
    .description('tuned and untuned freight against ONNX Runtime WebGPU, per model and device, from the tuning database')
    .option('--db <FILE>', 'tuning database (default: $FREIGHT_DB, else the user cache folder)')
    .option('--json', 'print JSON to stdout')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const rows = await leaderboard(opts.db ?? defaultDbPath(process.env));
      process.stdout.write(`${opts.json ? JSON.stringify(rows, null, 2) : formatLeaderboard(rows)}\n`);
    });
}
