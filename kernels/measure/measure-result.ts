// What measuring one candidate kernel yields. Failures are values, never exceptions, so that a
// search can record them and go on (as TVM's runner results carry an error message).

export type MeasureError = 'compile' | 'runtime' | 'wrong-result' | 'timeout' | 'device-lost';

export type MeasureResult =
  | {
    readonly ok: true;
    /** Every timed run, in order. */
    readonly runMs: readonly number[];
    readonly medianMs: number;
    readonly minMs: number;
    readonly maxMs: number;
    /** Largest error the verify function reported; NaN when the candidate was not verified. */
    readonly maxError: number;
    /** How the runs were timed. */
    readonly source: 'timestamp' | 'wall-clock';
  }
  | { readonly ok: false; readonly error: MeasureError; readonly detail: string };

/** What a caller's verify function says about the outputs of the verification run. */
export interface Verdict {
  readonly ok: boolean;
  readonly maxError: number;
  /** Why not, when !ok (e.g. the first mismatching element). */
  readonly detail?: string;
}

export const failure = (error: MeasureError, detail: string): MeasureResult => ({ ok: false, error, detail });
