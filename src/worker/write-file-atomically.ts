/**
 * Writes a file under a temporary name next to it, then renames it into place, so a reader sees the
 * old file or the whole new one, never part of it (the bundle cache's files, the sandbox threads'
 * code cache). Callback-based `node:fs` only, so a sandbox thread loads nothing more for it.
 *
 * @example
 * ```ts
 * await writeFileAtomically('/tmp/cache/abc.js', code);
 * ```
 * @module
 */
import { rename, rm, writeFile } from 'node:fs';

/** Writes `data` to `target` atomically (see the module doc); on failure the temporary file is removed and the error thrown. */
export function writeFileAtomically(target: string, data: string | Uint8Array, mode = 0o666): Promise<void> {
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => rm(temporary, { force: true }, () => reject(error));
    writeFile(temporary, data, { mode }, (writeError) => {
      if (writeError) return fail(writeError);
      rename(temporary, target, (renameError) => (renameError ? fail(renameError) : resolve()));
    });
  });
}
