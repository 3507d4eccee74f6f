/**
 * Source-maps the stack traces inside an activation completion — the failure of a failed
 * completion, and the failures of failWorkflowExecution, respondToQuery and updateResponse commands,
 * with their causes — so failures name the user's files and lines instead of bundle positions. Stack
 * traces moved into `encodedAttributes` (a `json/plain` payload) are mapped too.
 *
 * @module
 */
import type { Payload, ProtoFailure } from '../../common/proto-types.js';
import type { ActivationCompletion } from '../../workflow/runtime/protocol.js';
import { mapStackTrace } from '../bundler/map-stack-trace.js';
import type { SourceMap } from '../bundler/source-map.js';

const MAX_CAUSE_DEPTH = 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function mapEncodedAttributes(payload: Payload, map: readonly SourceMap[]): void {
  const encoding = payload.metadata?.['encoding'];
  if (encoding === undefined || decoder.decode(encoding) !== 'json/plain' || !payload.data) return;
  const attributes = JSON.parse(decoder.decode(payload.data)) as unknown;
  if (typeof attributes !== 'object' || attributes === null) return;
  const record = attributes as Record<string, unknown>;
  if (typeof record['stack_trace'] !== 'string') return;
  record['stack_trace'] = mapStackTrace(record['stack_trace'], map);
  payload.data = encoder.encode(JSON.stringify(record));
}

/** Maps the stack traces of a failure and its causes, in place. */
export function mapFailureStacks(failure: ProtoFailure | null | undefined, map: readonly SourceMap[]): void {
  let current = failure;
  for (let depth = 0; current && depth < MAX_CAUSE_DEPTH; depth++) {
    if (typeof current.stackTrace === 'string' && current.stackTrace !== '') current.stackTrace = mapStackTrace(current.stackTrace, map);
    if (current.encodedAttributes) {
      try {
        mapEncodedAttributes(current.encodedAttributes, map);
      } catch {
        // Not JSON we understand: leave it as it is.
      }
    }
    current = current.cause;
  }
}

/** Maps every failure stack trace of `completion`, in place (it is this thread's structured clone). */
export function mapCompletionStacks(completion: ActivationCompletion, map: readonly SourceMap[]): void {
  if ('failed' in completion) {
    mapFailureStacks(completion.failed.failure, map);
    return;
  }
  for (const command of completion.successful.commands ?? []) {
    switch (command.kind) {
      case 'failWorkflowExecution':
        mapFailureStacks(command.failure, map);
        break;
      case 'respondToQuery':
        mapFailureStacks(command.failure, map);
        break;
      case 'updateResponse':
        mapFailureStacks(command.rejected, map);
        mapFailureStacks(command.failed, map);
        break;
      default:
        break;
    }
  }
}
