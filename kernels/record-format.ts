// The version of what a stored schedule means to this code generator. A tuning record measured
// under another version is a miss, never a reuse: bump it when a step's meaning or the generated
// code of a schedule changes enough that old timings no longer describe it.

export const RECORD_FORMAT = 1;
