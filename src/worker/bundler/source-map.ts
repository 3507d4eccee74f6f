/**
 * A small decoder for version-3 source maps (the kind esbuild writes): Base64 VLQ `mappings` into
 * per-line segment tables, then "which original file, line and column does this generated position
 * come from" by binary search. Index maps (`sections`) are not supported: esbuild never writes them.
 *
 * @module
 */

/** A position in an original source file; `line` and `column` are 1-based, like stack frames. */
export interface OriginalPosition {
  source: string;
  line: number;
  column: number;
  /** The original identifier at that position, when the map records one. */
  name?: string;
}

/** The fields of a version-3 source map that this decoder reads. */
interface RawSourceMap {
  version: number;
  file?: string;
  sourceRoot?: string;
  sources: (string | null)[];
  names?: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/** Fields per decoded segment: generated column, source index, original line, original column, name index (-1 if none). */
const FIELDS = 5;

/**
 * A decoded source map. Segments are decoded lazily, on the first lookup.
 *
 * @example
 * ```ts
 * const map = SourceMap.parse(bundle.sourceMap);
 * map.originalPositionFor(2, 1234); // { source: '/app/src/workflows.ts', line: 17, column: 11 }
 * ```
 */
export class SourceMap {
  /** The generated file's name (our bundles: the `//# sourceURL=` name stack frames show). */
  readonly file: string | undefined;
  /** Resolved source names (sourceRoot applied), indexed like the map's `sources`. */
  readonly sources: readonly string[];
  private readonly names: readonly string[];
  private readonly mappings: string;
  private readonly contents: readonly (string | null)[];
  private lines: Int32Array[] | undefined;

  private constructor(raw: RawSourceMap) {
    this.file = raw.file;
    const root = raw.sourceRoot ? raw.sourceRoot.replace(/\/?$/, '/') : '';
    this.sources = raw.sources.map((s) => (s === null ? '' : root + s));
    this.names = raw.names ?? [];
    this.mappings = raw.mappings;
    this.contents = Array.isArray(raw.sourcesContent) ? raw.sourcesContent : [];
  }

  /** The content of a source (a resolved name from {@link sources}) if the map carries it. */
  contentOf(source: string): string | undefined {
    const content = this.contents[this.sources.indexOf(source)];
    return typeof content === 'string' ? content : undefined;
  }

  /**
   * Parses a source map from its JSON text.
   *
   * @throws TypeError when the text is not a version-3 source map.
   */
  static parse(json: string): SourceMap {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (error) {
      throw new TypeError('Source map is not valid JSON', { cause: error });
    }
    const map = raw as Partial<RawSourceMap> | null;
    if (typeof map !== 'object' || map === null || map.version !== 3 || !Array.isArray(map.sources) || typeof map.mappings !== 'string') {
      throw new TypeError('Not a version-3 source map (expected version 3, sources[] and a mappings string)');
    }
    return new SourceMap(map as RawSourceMap);
  }

  /**
   * The original position of a generated position (both 1-based), or `undefined` when nothing is
   * mapped there. Like other decoders, the closest segment at or before the column wins.
   */
  originalPositionFor(line: number, column: number): OriginalPosition | undefined {
    const segments = this.decoded()[line - 1];
    if (segments === undefined || segments.length === 0) return undefined;
    const index = lastSegmentAtOrBefore(segments, column - 1);
    if (index < 0) return undefined;
    const at = index * FIELDS;
    const sourceIndex = segments[at + 1]!;
    if (sourceIndex < 0) return undefined;
    const nameIndex = segments[at + 4]!;
    const position: OriginalPosition = {
      source: this.sources[sourceIndex] ?? '',
      line: segments[at + 2]! + 1,
      column: segments[at + 3]! + 1,
    };
    const name = nameIndex >= 0 ? this.names[nameIndex] : undefined;
    if (name !== undefined) position.name = name;
    return position;
  }

  private decoded(): Int32Array[] {
    this.lines ??= decodeMappings(this.mappings);
    return this.lines;
  }
}

/** Binary search: the index of the last segment whose generated column is ≤ `column`, or -1. */
function lastSegmentAtOrBefore(segments: Int32Array, column: number): number {
  let low = 0;
  let high = segments.length / FIELDS - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (segments[mid * FIELDS]! <= column) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * Decodes the `mappings` string. Generated columns restart at 0 on every line; source index,
 * original line, original column and name index are deltas carried across the whole string.
 */
function decodeMappings(mappings: string): Int32Array[] {
  const lines: Int32Array[] = [];
  const state = { source: 0, line: 0, column: 0, name: 0 };
  let current: number[] = [];
  let generatedColumn = 0;
  let pos = 0;
  const values: number[] = [];
  while (pos <= mappings.length) {
    const ch = mappings.charCodeAt(pos);
    if (pos === mappings.length || ch === 59 /* ; */) {
      lines.push(Int32Array.from(current));
      current = [];
      generatedColumn = 0;
      pos++;
      continue;
    }
    if (ch === 44 /* , */) {
      pos++;
      continue;
    }
    values.length = 0;
    pos = readSegment(mappings, pos, values);
    generatedColumn += values[0]!;
    if (values.length >= 4) {
      state.source += values[1]!;
      state.line += values[2]!;
      state.column += values[3]!;
      if (values.length >= 5) state.name += values[4]!;
      current.push(generatedColumn, state.source, state.line, state.column, values.length >= 5 ? state.name : -1);
    } else {
      current.push(generatedColumn, -1, -1, -1, -1);
    }
  }
  return lines;
}

/** Reads the VLQ numbers of one segment (up to the next `,` or `;`) into `out`; returns the new position. */
function readSegment(text: string, start: number, out: number[]): number {
  let pos = start;
  let value = 0;
  let shift = 0;
  while (pos < text.length) {
    const ch = text.charCodeAt(pos);
    if (ch === 44 || ch === 59) break;
    const digit = ch < 128 ? BASE64_VALUE[ch]! : -1;
    if (digit < 0) throw new TypeError(`Invalid character ${JSON.stringify(text[pos])} in source map mappings at ${pos}`);
    pos++;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value % 2 === 1 ? -Math.floor(value / 2) : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new TypeError('Source map mappings end inside a VLQ number');
  return pos;
}
