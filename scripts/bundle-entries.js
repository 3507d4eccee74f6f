// Part of `npm run build` (after tsc): bundles the package's entry points (every `exports` subpath and
// the CLI) into dist/bundled/, one file per entry plus shared chunks, with every dependency left
// external. Node loads a handful of files instead of ~150 ES modules, which cuts ~70 ms from importing
// `duraflow/worker` (see bench/notes.md §4). Entries share chunks, so a class has one identity whichever
// subpath it is imported through.
//
// Compiled modules that locate files next to themselves (`new URL('./x', import.meta.url)`) keep doing
// so: each module's `import.meta.url` is rewritten to its original file's URL, expressed relative to
// the bundled file it lands in (all of dist/bundled/ is one directory deep in dist/).
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OUT = path.join(DIST, 'bundled');
const ENTRIES = ['client', 'common', 'proto', 'server', 'worker', 'workflow', 'activity', 'testing', 'interceptors-opentelemetry'];

/** Rewrites each compiled module's `import.meta.url` to its original file's URL. */
const originalModuleUrl = {
  name: 'original-module-url',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = path.relative(OUT, args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      // Replaced in place (lines keep their numbers, so the module's source map still applies); a
      // quoted occurrence is a string, not the module's URL.
      return { contents: source.replace(/(?<![\w.'"])import\.meta\.url(?![\w'"])/g, url), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

await rm(OUT, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: [...ENTRIES.map((name) => ({ in: path.join(DIST, name, 'index.js'), out: name })), { in: path.join(DIST, 'cli', 'main.js'), out: 'cli' }],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
  plugins: [originalModuleUrl],
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
console.log(`package entry points bundled into ${path.relative(process.cwd(), OUT)}/ (${outputs.length} files)`);
