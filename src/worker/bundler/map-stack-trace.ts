/**
 * Rewrites the workflow bundle's stack frames (`at fn (workflow-bundle-….js:2:1234)`) to the user's
 * original files and lines, through the bundle's source map (or the maps of several scripts, such as
 * a bundle and the workflow runtime script: each frame is mapped by the map of the script it names).
 *
 * @module
 */
import { SourceMap, type OriginalPosition } from './source-map.js';

/** `    at name (file:line:column)` or `    at file:line:column`; the location is captured. */
const FRAME = /^(\s*at (?:.*? \()?)(.+?):(\d+):(\d+)(\)?)\s*$/;

/** The last few source maps parsed from JSON text, so repeated calls do not decode again. */
const parsed = new Map<string, SourceMap>();
const PARSED_LIMIT = 4;

function toSourceMap(sourceMap: string | SourceMap): SourceMap {
  if (sourceMap instanceof SourceMap) return sourceMap;
  let map = parsed.get(sourceMap);
  if (map === undefined) {
    map = SourceMap.parse(sourceMap);
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
    parsed.set(sourceMap, map);
  }
  return map;
}

/** Whether a frame's file is the bundle the map describes. */
function isBundleFile(file: string, map: SourceMap): boolean {
  if (map.file !== undefined && map.file !== '') return file === map.file || file.endsWith(`/${map.file}`);
  return /(^|\/)workflow-bundle[\w.-]*\.js$/.test(file);
}

/**
 * The original position of `line:column` of script `file`, through the map of that script among `maps`.
 */
export function originalPositionIn(maps: readonly SourceMap[], file: string, line: number, column: number): OriginalPosition | undefined {
  const map = maps.find((m) => isBundleFile(file, m));
  return map?.originalPositionFor(line, column);
}

/**
 * Maps every stack frame that points into the workflow bundle to the original source position;
 * other lines (the message, host frames, frames nothing is mapped for) are kept as they are.
 *
 * @param stack An `Error#stack` string (V8 format).
 * @param sourceMap The bundle's source map, as JSON text or already parsed; or several parsed maps,
 *   one per script.
 * @example
 * ```ts
 * const { code, sourceMap } = await bundleWorkflowCode({ workflowsPath });
 * mapStackTrace(error.stack, sourceMap);
 * // 'Error: boom\n    at validate (/app/src/workflows.ts:17:11)\n ...'
 * ```
 */
export function mapStackTrace(stack: string, sourceMap: string | SourceMap | readonly SourceMap[]): string {
  if (typeof stack !== 'string') throw new TypeError(`mapStackTrace: stack must be a string, got ${typeof stack}`);
  const valid = (m: unknown): boolean => typeof m === 'string' || m instanceof SourceMap;
  if (Array.isArray(sourceMap) ? !sourceMap.every((m) => m instanceof SourceMap) : !valid(sourceMap)) {
    throw new TypeError('mapStackTrace: sourceMap must be the source map JSON text, a SourceMap or an array of SourceMaps');
  }
  const maps = Array.isArray(sourceMap) ? (sourceMap as readonly SourceMap[]) : [toSourceMap(sourceMap as string | SourceMap)];
  return stack
    .split('\n')
    .map((line) => mapFrame(line, maps))
    .join('\n');
}

function mapFrame(line: string, maps: readonly SourceMap[]): string {
  const match = FRAME.exec(line);
  if (match === null) return line;
  const [, head = '', file = '', lineText = '', columnText = '', close = ''] = match;
  const original = originalPositionIn(maps, file, Number(lineText), Number(columnText));
  if (original === undefined) return line;
  return `${head}${original.source}:${original.line}:${original.column}${close}`;
}
