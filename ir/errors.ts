// The error a user sees: one sentence that names the file, node, value or flag at fault. The CLI
// prints its message alone (no stack unless --verbose) and exits 1. Anything else that escapes is
// a bug in freight and is reported as one.

export class FreightError extends Error {
  override readonly name = 'FreightError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throws a FreightError unless `cond` holds; `message` is built lazily. */
export function ensure(cond: unknown, message: string | (() => string)): asserts cond {
  if (!cond) throw new FreightError(typeof message === 'string' ? message : message());
}
