/**
 * Names reserved for the SDK's built-in handlers.
 *
 * @module
 */

/** Prefix of the SDK's internal signal, query and update names. */
export const TEMPORAL_RESERVED_PREFIX = '__temporal_';
export const STACK_TRACE_QUERY_NAME = '__stack_trace';
export const ENHANCED_STACK_TRACE_QUERY_NAME = '__enhanced_stack_trace';
export const WORKFLOW_METADATA_QUERY_NAME = '__temporal_workflow_metadata';

/** Whether `name` is one of the SDK's (interceptors are skipped for those). */
export function isInternalName(name: string): boolean {
  return name.startsWith(TEMPORAL_RESERVED_PREFIX) || name === STACK_TRACE_QUERY_NAME || name === ENHANCED_STACK_TRACE_QUERY_NAME;
}

/**
 * Rejects a handler registration under a reserved name.
 *
 * @throws TypeError naming the reserved name
 */
export function throwIfReservedName(type: 'signal' | 'query' | 'update', name: string): void {
  if (name.startsWith(TEMPORAL_RESERVED_PREFIX)) {
    throw new TypeError(`Cannot use ${type} name: '${name}', with reserved prefix: '${TEMPORAL_RESERVED_PREFIX}'`);
  }
  if (name === STACK_TRACE_QUERY_NAME || name === ENHANCED_STACK_TRACE_QUERY_NAME) {
    throw new TypeError(`Cannot use ${type} name: '${name}', which is a reserved name`);
  }
}

/**
 * A message with a reserved name must not reach a default handler.
 *
 * @throws TypeError when `name` is reserved, has no handler of its own and a default handler exists
 */
export function assertNotRoutedToDefault(type: 'signal' | 'query' | 'update', name: string, hasOwnHandler: boolean, hasDefault: boolean): void {
  if (name.startsWith(TEMPORAL_RESERVED_PREFIX) && !hasOwnHandler && hasDefault) {
    throw new TypeError(`Cannot use ${type} name: '${name}', with reserved prefix: '${TEMPORAL_RESERVED_PREFIX}'`);
  }
}
