// The leaderboard: per model and device, the last bench's times of tuned freight, untuned freight
// and ONNX Runtime's WebGPU (one bench run, so the three were timed side by side), with the trials
// and time spent tuning. A model tuned but never benched has a row without times.

import type { Sql } from './connection.js';
import type { LeaderboardRow } from './types.js';

/** `freight bench`'s system names for the columns (src/commands/bench.ts SYSTEMS). */
const TUNED = 'freight';
const UNTUNED = 'freight-untuned';
const ORT_WEBGPU = 'ort-webgpu';

interface Row {
  model: string; model_name: string; device: string; device_name: string;
  tuned_ms: number | null; untuned_ms: number | null; ort_ms: number | null;
  trials: number; tuning_ms: number; benched_at: string | null;
}

export async function leaderboard(sql: Sql): Promise<LeaderboardRow[]> {
  const rows = await sql.all<Row>(
    `WITH last AS (SELECT model, device, max(id) AS bench FROM benches GROUP BY model, device),
          tuned AS (SELECT model, device, sum(trials) AS trials, sum(tuning_ms) AS tuning_ms FROM tuning_runs GROUP BY model, device),
          pairs AS (SELECT model, device FROM last UNION SELECT model, device FROM tuned)
     SELECT m.key AS model, m.name AS model_name, d.fingerprint AS device, d.name AS device_name,
            (SELECT median_ms FROM bench_results WHERE bench = last.bench AND system = ?) AS tuned_ms,
            (SELECT median_ms FROM bench_results WHERE bench = last.bench AND system = ?) AS untuned_ms,
            (SELECT median_ms FROM bench_results WHERE bench = last.bench AND system = ?) AS ort_ms,
            coalesce(tuned.trials, 0) AS trials, coalesce(tuned.tuning_ms, 0) AS tuning_ms,
            (SELECT created_at FROM benches WHERE id = last.bench) AS benched_at
     FROM pairs JOIN models m ON m.id = pairs.model JOIN devices d ON d.id = pairs.device
     LEFT JOIN last ON last.model = pairs.model AND last.device = pairs.device
     LEFT JOIN tuned ON tuned.model = pairs.model AND tuned.device = pairs.device
     ORDER BY m.name, m.key, d.name, d.fingerprint`,
    [TUNED, UNTUNED, ORT_WEBGPU],
  );
  const ratio = (a: number | null, b: number | null): number | null => (a !== null && b !== null && b > 0 ? a / b : null);
  return rows.map((r) => ({
    model: r.model,
    modelName: r.model_name,
    device: r.device,
    deviceName: r.device_name,
    tunedMs: r.tuned_ms,
    untunedMs: r.untuned_ms,
    ortWebgpuMs: r.ort_ms,
    speedupVsUntuned: ratio(r.untuned_ms, r.tuned_ms),
    speedupVsOrt: ratio(r.ort_ms, r.tuned_ms),
    trials: r.trials,
    tuningMs: r.tuning_ms,
    benchedAt: r.benched_at,
  }));
}
