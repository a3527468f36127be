// Where the database lives without --db: FREIGHT_DB, else the XDG cache folder, else ~/.cache.

import { describe, expect, it } from 'vitest';
import { defaultDbPath } from './default-path.js';

describe('defaultDbPath', () => {
  it('prefers FREIGHT_DB, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultDbPath({ FREIGHT_DB: '/data/t.db', XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/data/t.db');
    expect(defaultDbPath({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/freight/tuning.db');
    expect(defaultDbPath({}, '/home/u')).toBe('/home/u/.cache/freight/tuning.db');
    // Empty and relative values are ignored, as the XDG spec says.
    expect(defaultDbPath({ FREIGHT_DB: '', XDG_CACHE_HOME: '' }, '/home/u')).toBe('/home/u/.cache/freight/tuning.db');
    expect(defaultDbPath({ XDG_CACHE_HOME: 'cache' }, '/home/u')).toBe('/home/u/.cache/freight/tuning.db');
  });
});
