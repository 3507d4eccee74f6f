/**
 * Runs a classic script (SES's single-file build) in a sandbox thread with a V8 code cache kept on
 * disk, so that the thread need not compile it again: loading SES takes ≈9 ms instead of ≈25–35 ms,
 * and `lockdown()` a few ms less, in every thread after the first one on the machine (bench/notes.md
 * §4). Where the cache file is, and whether there is one, the main thread works out
 * (code-cache-location.ts); this side needs only `node:fs` and `node:vm`, which a thread has loaded.
 *
 * @example
 * ```ts
 * const ses = runScriptWithCodeCache(workerData.ses);
 * lockdown();
 * void ses.saveCodeCache(); // writes the cache only if there was none (or V8 rejected it)
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { writeFileAtomically } from '../write-file-atomically.js';
import type { CachedScriptLocation } from './code-cache-location.js';

/** A script that has run; {@link saveCodeCache} stores its compiled code when the cache lacked it. */
export interface CachedScriptRun {
  /** Whether V8 used cached code for this run. */
  readonly cacheUsed: boolean;
  /** Writes the code cache (in the background) if it was missing or rejected; never rejects. */
  saveCodeCache(): Promise<void>;
}

function readCache(cacheFile: string | undefined): Buffer | undefined {
  if (cacheFile === undefined) return undefined;
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Runs the classic script at `location.file` in this realm, with compiled code from its cache file when that has it. */
export function runScriptWithCodeCache({ file, cacheFile }: CachedScriptLocation): CachedScriptRun {
  const cachedData = readCache(cacheFile);
  const script = new Script(readFileSync(file, 'utf8'), { filename: file, ...(cachedData ? { cachedData } : {}) });
  script.runInThisContext();
  const cacheUsed = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    cacheUsed,
    async saveCodeCache() {
      if (cacheFile === undefined || cacheUsed) return;
      // Made after the script (and lockdown) ran, so it holds the functions compiled so far too.
      // A cache that cannot be written only costs the next thread the compilation.
      await writeFileAtomically(cacheFile, script.createCachedData(), 0o600).catch(() => undefined);
    },
  };
}
