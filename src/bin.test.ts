// The executable in a development checkout: it runs the TypeScript sources unless dist/ holds a
// compiled file written after each source the build compiles (tests do not count), so that
// compiled code is never stale. Checked on a stand-in checkout whose entry points say which ran.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = new URL('..', import.meta.url).pathname;

function checkout(): { root: string; write: (file: string, text: string, mtimeS: number) => void; freight: () => string } {
  const root = mkdtempSync(join(tmpdir(), 'freight-bin-'));
  const write = (file: string, text: string, mtimeS: number): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    utimesSync(join(root, file), mtimeS, mtimeS);
  };
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(repo, 'bin/freight.js'), join(root, 'bin/freight.js'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  write('package.json', '{ "type": "module" }', 1000);
  write('tsconfig.build.json', '{ "include": ["src", "ir"] }', 1000);
  write('src/main.ts', "console.log('sources');", 1000);
  write('ir/graph.ts', 'export {};', 1000);
  write('ir/graph.test.ts', 'export {};', 1000);
  return { root, write, freight: () => execFileSync(process.execPath, [join(root, 'bin/freight.js')], { encoding: 'utf8' }).trim() };
}

describe('bin/freight.js', () => {
  it('runs the sources until dist/ is built after every one of them', () => {
    const { write, freight } = checkout();
    expect(freight()).toBe('sources');
    write('dist/src/main.js', "console.log('compiled');", 2000);
    expect(freight()).toBe('sources'); // ir/graph.ts has no compiled file
    write('dist/ir/graph.js', 'export {};', 2000);
    expect(freight()).toBe('compiled');
    write('ir/graph.test.ts', 'export {}; // edited', 3000);
    expect(freight()).toBe('compiled');
    write('ir/graph.ts', 'export {}; // edited', 3000);
    expect(freight()).toBe('sources');
    write('dist/ir/graph.js', 'export {};', 4000);
    write('ir/new-pass.ts', 'export {};', 4000);
    expect(freight()).toBe('sources');
  });
});
