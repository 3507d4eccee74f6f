/**
 * Turning esbuild's ES-module output into the body of the bundle's wrapper function (see
 * `bundle-wrapper.ts`), so that the modules workflow code shares with the runtime script cost a run
 * nothing to import.
 *
 * The bundler marks duraflow's shared modules as external, under specifiers made of
 * {@link SHARED_MODULE_PREFIX} and the module's key. esbuild then leaves one `import` declaration
 * per imported module in its output (a `__require(...)` call for CommonJS code), and the entry
 * module's exports as one `export {...}` clause at the end. Here each of those import declarations
 * becomes a `var` reading the runtime script's instance of the module, and the export clause a
 * `return`. Every run thus reads the same frozen module objects. (With a stand-in module per shared
 * module inside the bundle, as bundle format 2 had, each run paid for a copy of every export of each
 * shared module it imported, and for a namespace object with a getter per export wherever code used
 * `import * as wf` as a value, e.g. passing `wf` to a function: ≈11 KiB per run for
 * `duraflow/workflow`.)
 *
 * Every replacement is padded with spaces to the length of what it replaces, so lines and columns,
 * and with them esbuild's source map, stay exact.
 *
 * @module
 */

/**
 * Prefix of the external specifier under which a shared module's key reaches esbuild's output; the
 * bundle's own `require` (see `bundle-wrapper.ts`) recognizes it too.
 */
export const SHARED_MODULE_PREFIX = 'duraflow-shared-module:';

/** The function the bundle wrapper defines to look a shared module up by key. */
export const SHARED_IMPORT_FUNCTION = '__duraflowImport';

/** One shared-module import found in the output. */
export interface SharedImport {
  /** The shared module's key (`workflow/index.js`, …). */
  key: string;
  /** The names imported from it (`default` for a default import); empty for namespace and side-effect imports. */
  names: string[];
  /** Offset of the declaration in the output (for error messages through the source map). */
  offset: number;
}

/** Thrown when the output does not have the shape this module expects. */
export class UnexpectedBundleOutputError extends Error {}

const ID = String.raw`[\w$\\]+`;
/**
 * An import declaration as esbuild prints it, starting where the match starts and ending after the
 * closing quote of the specifier (minified or not; sticky, so it matches only at `lastIndex`).
 */
const IMPORT_DECLARATION = new RegExp(
  String.raw`import\s*(?:(${ID})\s*(?:,\s*)?)?(?:\*\s*as\s+(${ID})\s*|\{([\w$\\\s,]*)\}\s*)?(?:from\s*)?"${escape(SHARED_MODULE_PREFIX)}([^"\\]*)"\s*;?`,
  'y',
);
const EXPORT_CLAUSE = /export\s*\{([\w$\\\s,]*)\}\s*;?\s*$/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites esbuild's ES-module output (see the module doc). Returns the rewritten code and the
 * imports found, so the bundler can check the imported names.
 *
 * @throws UnexpectedBundleOutputError when a shared-module specifier appears anywhere but in an
 *   import declaration or a `require` call, or the output does not end with an export clause.
 */
export function esmToScript(code: string): { code: string; imports: SharedImport[] } {
  const imports: SharedImport[] = [];
  let out = '';
  let copied = 0;
  const quoted = `"${SHARED_MODULE_PREFIX}`;
  for (let at = code.indexOf(quoted); at >= 0; at = code.indexOf(quoted, at + 1)) {
    if (/require\(\s*$/.test(code.slice(Math.max(0, at - 20), at))) continue; // read by the wrapper's `require`
    const found = importDeclarationEndingAt(code, at);
    if (found === undefined) {
      throw new UnexpectedBundleOutputError(`The bundle output names ${quoted}…" outside an import declaration (offset ${at})`);
    }
    out += code.slice(copied, found.start) + found.replacement;
    copied = found.end;
    imports.push(found.sharedImport);
    at = found.end - 1;
  }
  out += code.slice(copied);
  return { code: replaceExportClause(out), imports };
}

/** The import declaration whose specifier's opening quote is at `quoteAt`, with its replacement. */
function importDeclarationEndingAt(code: string, quoteAt: number): { start: number; end: number; replacement: string; sharedImport: SharedImport } | undefined {
  // The declaration starts at the nearest `import` keyword before the specifier that matches the
  // whole declaration and begins a statement.
  for (let start = code.lastIndexOf('import', quoteAt); start >= 0; start = code.lastIndexOf('import', start - 1)) {
    if (quoteAt - start > 10_000) return undefined;
    if (!startsStatement(code, start)) continue;
    IMPORT_DECLARATION.lastIndex = start;
    const match = IMPORT_DECLARATION.exec(code);
    if (match === null) continue;
    const end = start + match[0].length;
    if (code.indexOf(`"${SHARED_MODULE_PREFIX}`, start) !== quoteAt) continue;
    const [, defaultName, namespaceName, named, key = ''] = match;
    const { declaration, names } = replacementDeclaration(key, defaultName, namespaceName, named);
    if (declaration.length > match[0].length) throw new UnexpectedBundleOutputError(`Cannot rewrite the import declaration ${match[0]} in place`);
    return { start, end, replacement: padLike(declaration, match[0]), sharedImport: { key, names, offset: start } };
  }
  return undefined;
}

/** Whether the `import` at `at` is a keyword beginning a statement (after `;`, `}` or nothing). */
function startsStatement(code: string, at: number): boolean {
  if (!/[\s{*"]/.test(code[at + 'import'.length] ?? '')) return false;
  for (let i = at - 1; i >= 0; i--) {
    const c = code[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    return c === ';' || c === '}';
  }
  return true;
}

/** `var …=__duraflowImport("key");` for one import declaration, and the names it imports. */
function replacementDeclaration(key: string, defaultName?: string, namespaceName?: string, named?: string): { declaration: string; names: string[] } {
  const lookup = `${SHARED_IMPORT_FUNCTION}(${JSON.stringify(key)})`;
  const bindings: string[] = [];
  const names: string[] = [];
  if (defaultName !== undefined) {
    bindings.push(`default:${defaultName}`);
    names.push('default');
  }
  for (const specifier of (named ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const [imported = '', local = imported] = specifier.split(/\s+as\s+/);
    bindings.push(imported === local ? imported : `${imported}:${local}`);
    names.push(imported);
  }
  if (namespaceName !== undefined) {
    const rest = bindings.length > 0 ? `,{${bindings.join(',')}}=${namespaceName}` : '';
    return { declaration: `var ${namespaceName}=${lookup}${rest};`, names };
  }
  if (bindings.length === 0) return { declaration: `${lookup};`, names };
  return { declaration: `var{${bindings.join(',')}}=${lookup};`, names };
}

/** `export{a as b,c};` at the end → `return{b:a,c};`, padded to the same length. */
function replaceExportClause(code: string): string {
  const match = EXPORT_CLAUSE.exec(code);
  if (match === null) throw new UnexpectedBundleOutputError('The bundle output does not end with the entry module’s export clause');
  const properties = (match[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((specifier) => {
      const [local = '', exported = local] = specifier.split(/\s+as\s+/);
      return local === exported ? local : `${exported}:${local}`;
    });
  const statement = match[0].trimEnd();
  return code.slice(0, match.index) + padLike(`return{${properties.join(',')}};`, statement) + code.slice(match.index + statement.length);
}

/**
 * `replacement` padded to the length of `original` with spaces, ending with as many line breaks as
 * `original` has, so that what follows keeps its line and (for one-line originals) its column.
 */
function padLike(replacement: string, original: string): string {
  const lineBreaks = original.split('\n').length - 1;
  return replacement.padEnd(original.length - lineBreaks, ' ') + '\n'.repeat(lineBreaks);
}
