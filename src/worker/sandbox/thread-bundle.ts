/**
 * Which file a sandbox thread starts from. `npm run build` bundles thread-main and the modules it
 * imports into one CommonJS file, `thread-main.cjs` ({@link writeThreadBundle}): a thread that starts
 * from it does not set up Node's ES module loader, which costs ≈2.5 MB of RSS per thread (and
 * ≈10 ms of its start-up). A sidecar file records the bundle's inputs and their hash; when the
 * bundle is missing or its inputs changed since (a `tsc`-only build), threads start from
 * `thread-main.js` as before. The replay module a thread loads on its first replay stays a separate
 * ES module (it brings the protobuf root).
 *
 * @example
 * ```ts
 * new Worker(threadEntry(), { workerData });
 * ```
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEsbuild } from '../bundler/load-esbuild.js';

const ESM_ENTRY = new URL('./thread-main.js', import.meta.url);
const BUNDLE = new URL('./thread-main.cjs', import.meta.url);
const SIDECAR_SUFFIX = '.inputs.json';

/** The sidecar: the bundle's input files (relative to the bundle's folder) and the hash of their contents. */
interface BundleInputs {
  inputs: string[];
  sha256: string;
}

let entry: URL | undefined;

/** The file sandbox threads start from: the bundle when it is current, else the ES module entry (decided once per process). */
export function threadEntry(): URL {
  entry ??= bundleIsCurrent(fileURLToPath(BUNDLE)) ? BUNDLE : ESM_ENTRY;
  return entry;
}

/** Whether `bundleFile` exists with a sidecar whose inputs still hash to what they did when it was built. */
export function bundleIsCurrent(bundleFile: string): boolean {
  try {
    const recorded = JSON.parse(readFileSync(bundleFile + SIDECAR_SUFFIX, 'utf8')) as Partial<BundleInputs>;
    if (!Array.isArray(recorded.inputs) || typeof recorded.sha256 !== 'string' || !existsSync(bundleFile)) return false;
    return hashInputs(path.dirname(bundleFile), recorded.inputs) === recorded.sha256;
  } catch {
    return false;
  }
}

function hashInputs(dir: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(input).update('\0').update(readFileSync(path.resolve(dir, input))).update('\0');
  return hash.digest('hex');
}

/**
 * Bundles thread-main.js and what it imports (ses stays a `require`, the replay module a dynamic
 * `import`) into `thread-main.cjs` beside it, with its sidecar (run by `npm run build`, after tsc).
 *
 * @example
 * ```ts
 * await writeThreadBundle(); // dist/worker/sandbox/thread-main.cjs
 * ```
 */
export async function writeThreadBundle(): Promise<string> {
  const esbuild = await loadEsbuild();
  const bundleFile = fileURLToPath(BUNDLE);
  const dir = path.dirname(bundleFile);
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(ESM_ENTRY)],
    absWorkingDir: dir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['ses', './thread-replay.js'],
    outfile: bundleFile,
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`Bundling the sandbox thread warned: ${result.warnings.map((w) => w.text).join('; ')}`);
  const inputs = Object.keys(result.metafile?.inputs ?? {}).sort();
  const sidecar: BundleInputs = { inputs, sha256: hashInputs(dir, inputs) };
  writeFileSync(bundleFile + SIDECAR_SUFFIX, JSON.stringify(sidecar));
  return bundleFile;
}
