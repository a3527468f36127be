#!/usr/bin/env node
// freight's executable. In a development checkout (tsx installed) it runs the TypeScript sources,
// so they are never stale; an installed package runs the compiled JavaScript in dist/.

import { existsSync } from 'node:fs';

const sources = new URL('../src/main.ts', import.meta.url);
let tsx = null;
try {
  tsx = await import('tsx/esm/api');
} catch {
  // not a development checkout
}
if (tsx && existsSync(sources)) {
  tsx.register();
  await import(sources.href);
} else {
  await import(new URL('../dist/src/main.js', import.meta.url).href);
}
