/**
 * Answering queries: synchronously, from the registered handler, the default handler or a built-in
 * query; the answer (or failure) is the respondToQuery command.
 *
 * @module
 */
import { arrayFromPayloads, DeterminismViolationError, ensureTemporalFailure, RawValue } from '../../common/index.js';
import { composeInterceptors, type QueryInput } from '../interceptors.js';
import type { Activator } from './activator.js';
import type { QueryWorkflowJob } from './protocol.js';
import { assertNotRoutedToDefault, isInternalName } from './reserved-names.js';

/** The innermost `handleQuery`: calls the handler synchronously; a returned promise is an error. */
function queryWorkflowNextHandler(activator: Activator, { queryName, args }: QueryInput): Promise<unknown> {
  const { handlers } = activator;
  let fn = handlers.query(queryName)?.handler;
  const fallback = handlers.defaultQuery;
  if (fn === undefined && fallback !== undefined) fn = (...a: unknown[]) => fallback(queryName, ...a);
  if (fn === undefined) {
    const known = handlers.queryEntries().map(([name]) => name).join(' ');
    return Promise.reject(new ReferenceError(`Workflow did not register a handler for ${queryName}. Registered queries: [${known}]`));
  }
  try {
    const result: unknown = fn(...args);
    if (result instanceof Promise) {
      result.catch(() => undefined);
      return Promise.reject(new DeterminismViolationError('Query handlers should not return a Promise'));
    }
    return Promise.resolve(result);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Answers one query; the respondToQuery command is issued once the (settled) answer is converted. */
export function queryWorkflow(activator: Activator, job: QueryWorkflowJob): void {
  const { queryType, queryId } = job;
  if (!queryType || !queryId) throw new TypeError('Missing queryWorkflow queryType or queryId');
  const { handlers } = activator;
  assertNotRoutedToDefault('query', queryType, handlers.query(queryType) !== undefined, handlers.defaultQuery !== undefined);
  const interceptors = isInternalName(queryType) ? [] : activator.interceptors.inbound;
  const execute = composeInterceptors(interceptors, 'handleQuery', (input) => queryWorkflowNextHandler(activator, input));
  const args = arrayFromPayloads(activator.payloadConverter, job.arguments, activator.workflowContext());
  const fail = (error: unknown): void =>
    activator.pushCommand({ kind: 'respondToQuery', queryId, failure: activator.errorToFailure(ensureTemporalFailure(error)) });
  execute({ queryName: queryType, args, queryId, headers: job.headers ?? {} })
    .then((result) => {
      let payload;
      try {
        // A RawValue is already a payload (any converter passes it through, even one unaware of RawValue).
        payload = result instanceof RawValue ? result.payload : activator.toPayload(result);
      } catch (error) {
        fail(error); // an answer the payload converter cannot encode fails the query, not the task
        return;
      }
      activator.pushCommand({ kind: 'respondToQuery', queryId, result: payload });
    }, fail)
    .catch((error: unknown) => activator.recordTaskError(error));
}
