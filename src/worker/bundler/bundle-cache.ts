/**
 * Content-addressed reuse of finished bundles. A bundle is identified by the hash of its options plus
 * the path and contents of every file that went into it (the list comes from the previous build's
 * metafile). Checking a cached bundle therefore costs reading and hashing its input files, not a build.
 *
 * In memory the last {@link MEMORY_LIMIT} option sets are kept; on disk (`'disk'` mode) each option
 * set has a manifest `<optionsKey>.json` (input list + content hash) and each bundle `<hash>.js` and
 * `<hash>.js.map`, under `os.tmpdir()/duraflow-bundles`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomically } from '../write-file-atomically.js';
import type { BundleCacheMode } from './bundle-options.js';

/** A finished bundle: the wrapped code and its source map (JSON text). */
export interface WorkflowBundle {
  code: string;
  sourceMap: string;
}

interface Manifest {
  inputs: string[];
  contentHash: string;
}

interface MemoryEntry extends Manifest {
  bundle: WorkflowBundle;
}

/** Option sets remembered in memory. */
const MEMORY_LIMIT = 8;

/** Default directory of the on-disk cache. */
export const DISK_CACHE_DIR = path.join(tmpdir(), 'duraflow-bundles');

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash identifying one option set (paths, ignore list, toolchain version, wrapper format). */
export function optionsKey(parts: unknown): string {
  return sha256(JSON.stringify(parts));
}

/** Hash of the options key plus every input's path and contents; `undefined` if an input is gone. */
export async function contentHash(key: string, inputs: readonly string[]): Promise<string | undefined> {
  try {
    const contents = await Promise.all(inputs.map((file) => readFile(file)));
    const hash = createHash('sha256').update(key);
    inputs.forEach((file, i) => hash.update(`\0${file}\0`).update(sha256(contents[i]!)));
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/** The bundle cache of one process (see the module doc). */
export class BundleCache {
  private readonly memory = new Map<string, MemoryEntry>();

  constructor(private readonly diskDir: string = DISK_CACHE_DIR) {}

  /** The cached bundle for these options if none of its inputs changed. */
  async lookup(key: string, mode: BundleCacheMode): Promise<WorkflowBundle | undefined> {
    if (mode === false) return undefined;
    const inMemory = this.memory.get(key);
    const manifest: Manifest | undefined = inMemory ?? (mode === 'disk' ? await this.readManifest(key) : undefined);
    if (manifest === undefined) return undefined;
    const hash = await contentHash(key, manifest.inputs);
    if (hash !== manifest.contentHash) return undefined;
    if (inMemory !== undefined) {
      this.remember(key, inMemory);
      return inMemory.bundle;
    }
    const bundle = await this.readBundle(hash);
    if (bundle !== undefined) this.remember(key, { ...manifest, bundle });
    return bundle;
  }

  /** Records a freshly built bundle and the inputs it was built from. */
  async store(key: string, inputs: string[], bundle: WorkflowBundle, mode: BundleCacheMode): Promise<void> {
    if (mode === false) return;
    const hash = await contentHash(key, inputs);
    if (hash === undefined) return;
    this.remember(key, { inputs, contentHash: hash, bundle });
    if (mode === 'disk') await this.writeToDisk(key, { inputs, contentHash: hash }, bundle);
  }

  private remember(key: string, entry: MemoryEntry): void {
    this.memory.delete(key);
    this.memory.set(key, entry);
    if (this.memory.size > MEMORY_LIMIT) this.memory.delete(this.memory.keys().next().value as string);
  }

  private async readManifest(key: string): Promise<Manifest | undefined> {
    try {
      const manifest = JSON.parse(await readFile(path.join(this.diskDir, `${key}.json`), 'utf8')) as Partial<Manifest>;
      if (!Array.isArray(manifest.inputs) || typeof manifest.contentHash !== 'string') return undefined;
      return { inputs: manifest.inputs.map(String), contentHash: manifest.contentHash };
    } catch {
      return undefined;
    }
  }

  private async readBundle(hash: string): Promise<WorkflowBundle | undefined> {
    try {
      const [code, sourceMap] = await Promise.all([
        readFile(path.join(this.diskDir, `${hash}.js`), 'utf8'),
        readFile(path.join(this.diskDir, `${hash}.js.map`), 'utf8'),
      ]);
      return { code, sourceMap };
    } catch {
      return undefined;
    }
  }

  /** Writes each file atomically (the manifest last), so readers never see a partial file. */
  private async writeToDisk(key: string, manifest: Manifest, bundle: WorkflowBundle): Promise<void> {
    await mkdir(this.diskDir, { recursive: true });
    const write = (name: string, text: string): Promise<void> => writeFileAtomically(path.join(this.diskDir, name), text);
    await write(`${manifest.contentHash}.js`, bundle.code);
    await write(`${manifest.contentHash}.js.map`, bundle.sourceMap);
    await write(`${key}.json`, JSON.stringify(manifest));
  }
}
