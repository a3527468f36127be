// Where the tuning database lives when `--db` is not given: `FREIGHT_DB`, else the user's cache
// folder (`$XDG_CACHE_HOME`, else `~/.cache`) under freight/tuning.db. A cache, because everything
// in it can be measured again; the XDG spec ignores a relative XDG_CACHE_HOME, and so does this.

import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function defaultDbPath(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): string {
  if (env.FREIGHT_DB) return env.FREIGHT_DB;
  const cache = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'freight', 'tuning.db');
}
