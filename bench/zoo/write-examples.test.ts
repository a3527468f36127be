// The bundled examples are what write-examples writes now: a change to the zoo that alters them
// fails here until `npx tsx bench/zoo/write-examples.ts` is run again.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeExamples } from './write-examples.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freight-examples-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('examples/', () => {
  const written = writeExamples(dir);

  it.each(written.map((e) => e.file))('%s is up to date and under 1 MB', (file) => {
    const fresh = fs.readFileSync(path.join(dir, file));
    expect(fresh.length).toBeLessThan(1 << 20);
    expect(Buffer.compare(fs.readFileSync(path.join(examples, file)), fresh)).toBe(0);
  });

  it('README.md is up to date', () => {
    expect(fs.readFileSync(path.join(examples, 'README.md'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'));
  });
});
