/**
 * Where a sandbox thread finds SES's script and its V8 code cache (see script-code-cache.ts), worked
 * out once per process on the main thread, which has `node:crypto` loaded anyway: a thread that
 * loaded it only to name the cache file would spend more time on that than the cache saves.
 *
 * The cache lives in `$DURAFLOW_COMPILE_CACHE` if set, else in `<os.tmpdir()>/duraflow-compile-cache-<uid>`;
 * `DURAFLOW_DISABLE_COMPILE_CACHE=1` turns it off. A cache file is named after the script's contents,
 * the Node version and the architecture (V8 itself also rejects data made by another V8 or with other
 * flags). Because cached code runs before `lockdown()`, the directory is used only if it is a real
 * directory owned by this user and writable by no one else.
 *
 * @example
 * ```ts
 * const data: ThreadData = { port, ses: sesScript() };
 * ```
 * @module
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment variable naming the cache directory. */
export const COMPILE_CACHE_ENV = 'DURAFLOW_COMPILE_CACHE';
/** Environment variable that turns the cache off when set to anything but '' or '0'. */
export const DISABLE_COMPILE_CACHE_ENV = 'DURAFLOW_DISABLE_COMPILE_CACHE';

/** A classic script and the file its code cache is kept in (none: compile it every time). */
export interface CachedScriptLocation {
  file: string;
  cacheFile?: string;
}

/** The cache directory `env` asks for, or undefined when the cache is off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const disabled = env[DISABLE_COMPILE_CACHE_ENV];
  if (disabled !== undefined && disabled !== '' && disabled !== '0') return undefined;
  const configured = env[COMPILE_CACHE_ENV];
  if (configured !== undefined && configured !== '') return path.resolve(configured);
  return path.join(tmpdir(), `duraflow-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/** Creates `dir` if needed; true if it is a directory owned by this user and writable by no one else. */
function isPrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0));
  } catch {
    return false;
  }
}

/** `file` with the cache file `env` gives it (none when the cache is off or its directory is not private). */
export function cachedScriptLocation(file: string, env: NodeJS.ProcessEnv = process.env): CachedScriptLocation {
  const dir = compileCacheDir(env);
  if (dir === undefined || !isPrivateDir(dir)) return { file };
  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch {
    return { file };
  }
  const hash = createHash('sha256').update(source).update('\0').update(process.version).update('\0').update(process.arch).digest('hex');
  return { file, cacheFile: path.join(dir, `${path.basename(file)}-${hash.slice(0, 24)}.v8`) };
}

let ses: CachedScriptLocation | undefined;

/** SES's single-file script build and its cache file (for this process's environment, worked out once). */
export function sesScript(): CachedScriptLocation {
  ses ??= cachedScriptLocation(createRequire(import.meta.url).resolve('ses'));
  return ses;
}
