#!/usr/bin/env node
// freight's executable. An installed package runs the compiled JavaScript in dist/. A development
// checkout (tsx installed) runs the TypeScript sources, so they are never stale, unless dist/ is up
// to date with every one of them (`npm run build` since the last edit): compiled code starts in a
// third of the time, since tsx hands every module to its loader thread to transpile or fetch from
// its cache.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const sources = new URL('src/main.ts', root);
const compiled = new URL('dist/src/main.js', root);

/** Whether each source the build compiles (tsconfig.build.json) has its .js in dist/, written after it. */
function builtSinceLastEdit() {
  if (!existsSync(compiled)) return false;
  try {
    const { include } = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8'));
    for (const folder of include) {
      for (const file of readdirSync(new URL(folder, root), { recursive: true })) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
        const js = statSync(new URL(`dist/${folder}/${file.slice(0, -3)}.js`, root), { throwIfNoEntry: false });
        if (!js || js.mtimeMs < statSync(new URL(`${folder}/${file}`, root)).mtimeMs) return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

let tsx = null;
if (existsSync(sources) && !builtSinceLastEdit()) {
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    // not a development checkout
  }
}
if (tsx) {
  tsx.register();
  await import(sources.href);
} else {
  await import(compiled.href);
}
