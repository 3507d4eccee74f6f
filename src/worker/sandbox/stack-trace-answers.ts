/**
 * The answers to the built-in stack trace queries, as the user should read them. The runtime answers
 * with the raw stacks of the calls the workflow waits on (positions in the workflow bundle, SDK
 * frames included); here each frame is source-mapped to the user's file and line, and stacks that
 * end up identical (a `condition()` with a timeout and its timer) are merged:
 * - `__stack_trace` (a string) keeps only the user's frames;
 * - `__enhanced_stack_trace` (an object) keeps every frame, marking duraflow's own as `internal_code`,
 *   and names the SDK version.
 *
 * The runtime encodes these answers as `json/plain` (with the default payload converter, like the
 * official SDK), which is what is rewritten; anything else is left as it is.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import type { Payload } from '../../common/proto-types.js';
import type { ActivationCompletion, WorkflowActivation } from '../../workflow/runtime/protocol.js';
import { mapStackTrace, originalPositionIn } from '../bundler/map-stack-trace.js';
import type { SourceMap } from '../bundler/source-map.js';
import { SDK_VERSION } from '../sdk-version.js';

interface Location {
  file_path?: string;
  line?: number;
  column?: number;
  function_name?: string;
  internal_code: boolean;
}
interface EnhancedAnswer {
  sdk?: { name?: string; version?: string };
  stacks?: Array<{ locations?: Location[] }>;
  sources?: Record<string, unknown>;
}

const STACK_TRACE_QUERY = '__stack_trace';
const ENHANCED_STACK_TRACE_QUERY = '__enhanced_stack_trace';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** duraflow's package root (this file is `<root>/dist/worker/sandbox/…` or `<root>/src/worker/sandbox/…`). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SDK_DIRECTORIES = [`${PACKAGE_ROOT}src/`, `${PACKAGE_ROOT}dist/`];
/** `at name (location)` or `at location`, with the location captured. */
const FRAME = /^\s*at (?:.*? \()?(.+?):\d+:\d+\)?\s*$/;

/** Whether a stack line is a frame of duraflow's own code (the workflow API and runtime, or the bundle's entry). */
export function isSdkFrame(line: string): boolean {
  const location = FRAME.exec(line)?.[1];
  return location !== undefined && isSdkSource(location);
}

function isSdkSource(file: string): boolean {
  return file.startsWith('duraflow-entry:') || SDK_DIRECTORIES.some((dir) => file.startsWith(dir));
}

/**
 * Maps a `__stack_trace` answer (stacks separated by blank lines) to the user's sources and keeps
 * only user frames; stacks are deduplicated and empty ones dropped.
 *
 * @example
 * ```ts
 * userStackTrace('  at sleep (workflow-bundle-1.js:2:10)\n  at wait (workflow-bundle-1.js:2:99)', map);
 * // '  at wait (/app/src/workflows.ts:12:9)'
 * ```
 */
export function userStackTrace(answer: string, map: readonly SourceMap[]): string {
  const stacks = new Set<string>();
  for (const stack of answer.split(/\n\s*\n/)) {
    const frames = mapStackTrace(stack, map)
      .split('\n')
      .filter((line) => line.trim() !== '' && !isSdkFrame(line));
    if (frames.length > 0) stacks.add(frames.join('\n'));
  }
  return [...stacks].join('\n\n');
}

/**
 * Maps the locations of an `__enhanced_stack_trace` answer, marks SDK frames internal and merges
 * identical stacks; with `withSources`, adds the content of every user file the stacks name (from
 * the source maps), as the worker's `showStackTraceSources` asks.
 */
export function enhancedStackTrace(answer: EnhancedAnswer, map: readonly SourceMap[], withSources = false): EnhancedAnswer {
  const stacks = new Map<string, { locations: Location[] }>();
  for (const stack of answer.stacks ?? []) {
    const locations = (stack.locations ?? []).map((location) => mapLocation(location, map));
    stacks.set(JSON.stringify(locations), { locations });
  }
  const sources = withSources ? sourcesOf([...stacks.values()], map) : (answer.sources ?? {});
  return { ...answer, sdk: { name: 'duraflow', version: SDK_VERSION }, stacks: [...stacks.values()], sources };
}

/** The content of each user file the stacks name, as Temporal's stack trace format carries it. */
function sourcesOf(stacks: ReadonlyArray<{ locations: Location[] }>, map: readonly SourceMap[]): NonNullable<EnhancedAnswer['sources']> {
  const sources: Record<string, Array<{ line_offset: number; content: string }>> = {};
  for (const { locations } of stacks) {
    for (const { file_path: file, internal_code: internal } of locations) {
      if (internal || file === undefined || file in sources) continue;
      const content = map.map((m) => m.contentOf(file)).find((c) => c !== undefined);
      if (content !== undefined) sources[file] = [{ line_offset: 0, content }];
    }
  }
  return sources;
}

function mapLocation(location: Location, map: readonly SourceMap[]): Location {
  const { file_path: file, line, column } = location;
  const original = file !== undefined && line !== undefined && column !== undefined ? originalPositionIn(map, file, line, column) : undefined;
  const mapped = original ? { ...location, file_path: original.source, line: original.line, column: original.column } : location;
  return { ...mapped, internal_code: mapped.file_path !== undefined && isSdkSource(mapped.file_path) };
}

function rewriteJson(payload: Payload, rewrite: (value: unknown) => unknown): void {
  const encoding = payload.metadata?.['encoding'];
  if (encoding === undefined || decoder.decode(encoding) !== 'json/plain' || !payload.data) return;
  payload.data = encoder.encode(JSON.stringify(rewrite(JSON.parse(decoder.decode(payload.data)) as unknown)));
}

function rewriteAnswer(queryType: string, payload: Payload, map: readonly SourceMap[], withSources: boolean): void {
  rewriteJson(payload, (value) => {
    if (queryType === STACK_TRACE_QUERY && typeof value === 'string') return userStackTrace(value, map);
    if (queryType === ENHANCED_STACK_TRACE_QUERY && typeof value === 'object' && value !== null) return enhancedStackTrace(value as EnhancedAnswer, map, withSources);
    return value;
  });
}

/**
 * Rewrites, in place, the answers of the activation's stack trace queries (see the module
 * documentation). Without a source map, frames keep their bundle positions. `withSources` adds the
 * user's sources to enhanced answers.
 */
export function mapStackTraceAnswers(activation: WorkflowActivation, completion: ActivationCompletion, map: readonly SourceMap[], withSources = false): void {
  if (!('successful' in completion)) return;
  const queryTypes = new Map<string, string>();
  for (const job of activation.jobs) {
    if (job.kind === 'queryWorkflow' && (job.queryType === STACK_TRACE_QUERY || job.queryType === ENHANCED_STACK_TRACE_QUERY)) queryTypes.set(job.queryId, job.queryType);
  }
  if (queryTypes.size === 0) return;
  for (const command of completion.successful.commands) {
    const queryType = command.kind === 'respondToQuery' ? queryTypes.get(command.queryId) : undefined;
    if (command.kind !== 'respondToQuery' || queryType === undefined || command.result === undefined) continue;
    try {
      rewriteAnswer(queryType, command.result, map, withSources);
    } catch {
      // Not the JSON the runtime wrote: leave the answer as it is.
    }
  }
}
