/**
 * Runs a classic script (SES's single-file build) in this thread with a V8 code cache kept on disk, so
 * that a sandbox thread need not compile it again: loading SES takes ≈9 ms instead of ≈25–35 ms, and
 * `lockdown()` a few ms less, in every thread after the first one on the machine (see bench/notes.md §4).
 *
 * The cache lives in `$DURAFLOW_COMPILE_CACHE` if set, else in `<os.tmpdir()>/duraflow-compile-cache-<uid>`;
 * `DURAFLOW_DISABLE_COMPILE_CACHE=1` turns it off. A cache file is named after the script's contents,
 * the Node version and the architecture, and V8 itself rejects data made by another V8 or with other
 * flags (the script is then compiled as usual and the file rewritten). Because cached code runs
 * before `lockdown()`, the directory is used only if it is a real directory owned by this user and
 * writable by no one else; otherwise, or on any file error, the script is simply compiled.
 *
 * @example
 * ```ts
 * const ses = runScriptWithCodeCache(require.resolve('ses'));
 * lockdown();
 * ses.saveCodeCache(); // writes the cache only if there was none (or V8 rejected it)
 * ```
 * @module
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

/** Environment variable naming the cache directory. */
export const COMPILE_CACHE_ENV = 'DURAFLOW_COMPILE_CACHE';
/** Environment variable that turns the cache off when set to anything but '' or '0'. */
export const DISABLE_COMPILE_CACHE_ENV = 'DURAFLOW_DISABLE_COMPILE_CACHE';

/** A script that has run; {@link saveCodeCache} stores its compiled code when the cache lacked it. */
export interface CachedScriptRun {
  /** Whether V8 used cached code for this run. */
  readonly cacheUsed: boolean;
  /** Writes the code cache (in the background) if it was missing or rejected; never throws. */
  saveCodeCache(): Promise<void>;
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

function cacheFileName(file: string, source: string): string {
  const hash = createHash('sha256').update(source).update('\0').update(process.version).update('\0').update(process.arch).digest('hex');
  return `${path.basename(file)}-${hash.slice(0, 24)}.v8`;
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Runs the classic script at `file` in this realm, with compiled code from the cache when it has it. */
export function runScriptWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env): CachedScriptRun {
  const source = readFileSync(file, 'utf8');
  const dir = compileCacheDir(env);
  const cacheFile = dir !== undefined && isPrivateDir(dir) ? path.join(dir, cacheFileName(file, source)) : undefined;
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  script.runInThisContext();
  const cacheUsed = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    cacheUsed,
    async saveCodeCache() {
      if (cacheFile === undefined || cacheUsed) return;
      const temporary = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        // Made after the script (and lockdown) ran, so it holds the functions compiled so far too.
        await writeFile(temporary, script.createCachedData(), { mode: 0o600 });
        await rename(temporary, cacheFile);
      } catch {
        // A cache that cannot be written only costs the next thread the compilation.
        await rm(temporary, { force: true }).catch(() => undefined);
      }
    },
  };
}
