// What the tuning database stores and answers, as plain data. Devices, workloads and models are
// referred to by their keys (fingerprint, workload key, model key); schedules and tuning states are
// opaque plain JSON that their owners (kernels, search) version and validate.

/** Why a measured candidate is not a valid record (kernels' MeasureError, spelled for storage). */
export type FailureKind = 'compile-error' | 'runtime-error' | 'wrong-result' | 'timeout' | 'device-lost';

export const FAILURE_KINDS: readonly FailureKind[] = ['compile-error', 'runtime-error', 'wrong-result', 'timeout', 'device-lost'];

export interface Device {
  /** sha256 of the adapter's identity and driver (kernels/gpu/fingerprint.ts). */
  readonly fingerprint: string;
  /** Short readable name, e.g. "google-swiftshader". */
  readonly name: string;
  /** Plain JSON: adapter info, limits, features — whatever helps a reader. */
  readonly description: unknown;
}

export interface Workload {
  /** sha256 of the canonical kernel (ir/canonical.ts). */
  readonly key: string;
  /** Plain JSON for readers, e.g. ir/canonical.ts's WorkloadSummary ({ops, shapes}). */
  readonly summary: unknown;
}

export interface Model {
  /** Chosen by the caller so that the same model with the same shapes gets the same key. */
  readonly key: string;
  /** Readable, e.g. the file name. */
  readonly name: string;
}

export interface RunStats {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** A measured schedule of one workload on one device, as the tuning loop commits it. */
export interface NewRecord {
  /** Workload key; the workload must have been upserted. */
  readonly workload: string;
  /** Device fingerprint; the device must have been upserted. */
  readonly device: string;
  /**
   * Record format version: what the schedule means to the code generator that measured it. A
   * lookup with another version is a miss, so bumping it retires every older record at once.
   */
  readonly format: number;
  /** Plain JSON, replayable against the canonical kernel. */
  readonly schedule: unknown;
  /** Timing of a valid candidate; a failed one may have none. */
  readonly stats: RunStats | null;
  /** The cost model's prediction when the candidate was chosen. */
  readonly predictedMs: number | null;
  /** null: compiled, ran, verified and timed. */
  readonly failure: FailureKind | null;
  /** What went wrong, for a failure. */
  readonly detail?: string | null;
  /** Correctness evidence: the largest error seen against the reference, and the tolerance applied. */
  readonly maxError: number | null;
  readonly tolerance: number | null;
  /** ISO 8601; now when absent. Kept as given by imports. */
  readonly createdAt?: string;
  /** The candidate timed interleaved with its workload's default schedule; absent when it was not. */
  readonly comparison?: Comparison | null;
}

/**
 * Evidence that a schedule beats the default: the two timed alternately (A B A B …) on the same
 * device and inputs, each pair's candidate / default ratio kept, so that machine noise hits both.
 */
export interface Comparison {
  /** Median of `ratios`: below 1, the candidate is faster than the default. */
  readonly ratio: number;
  /** A one-sided 95% upper confidence bound of that median (an order statistic of `ratios`). */
  readonly upper: number;
  /** Each pair's candidate / default time, in order. */
  readonly ratios: readonly number[];
}

export interface TuningRecord extends NewRecord {
  readonly id: number;
  readonly detail: string | null;
  readonly createdAt: string;
}

/** One tuning run: what `freight tune` with the same arguments resumes from. */
export interface TuningRunKey {
  readonly model: string;
  readonly device: string;
  readonly strategy: string;
  readonly seed: number;
}

export type TuningRunStatus = 'running' | 'interrupted' | 'finished';

export interface TuningRun extends TuningRunKey {
  readonly status: TuningRunStatus;
  /** Trials measured so far. */
  readonly trials: number;
  /** Wall-clock time spent tuning so far, over all sessions of the run. */
  readonly tuningMs: number;
  /** Plain JSON owned by search: strategy state, RNG state, the task scheduler's state. */
  readonly state: unknown;
}

export interface StoredTuningRun extends TuningRun {
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** One `freight bench` run: every system timed on the same inputs. */
export interface Bench {
  readonly model: string;
  readonly device: string;
  readonly systems: readonly ({ readonly system: string } & RunStats)[];
  /** ISO 8601; now when absent. */
  readonly createdAt?: string;
}

/** A row of `freight leaderboard`: one model on one device. */
export interface LeaderboardRow {
  readonly model: string;
  readonly modelName: string;
  readonly device: string;
  readonly deviceName: string;
  /** Median ms of the systems of the last bench: `freight` (tuned), `freight-untuned`, `ort-webgpu`. */
  readonly tunedMs: number | null;
  readonly untunedMs: number | null;
  readonly ortWebgpuMs: number | null;
  /** untunedMs / tunedMs and ortWebgpuMs / tunedMs: above 1, tuning made freight faster. */
  readonly speedupVsUntuned: number | null;
  readonly speedupVsOrt: number | null;
  /** Summed over the model's tuning runs on the device. */
  readonly trials: number;
  readonly tuningMs: number;
  /** When the last bench ran (null: never benched). */
  readonly benchedAt: string | null;
}
