/**
 * Errors crossing the thread boundary travel as `{ name, message, stack }`. Formatting is done by
 * hand: in a locked-down thread `util.inspect(error)` prints `{}` (SES makes
 * `Error.prototype.constructor` an accessor), and reading properties of a hostile value may throw.
 *
 * @module
 */

/** An error as plain data. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A short, never-throwing text for any thrown value. */
export function describeThrown(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null) {
      const json = JSON.stringify(value);
      if (json !== undefined) return json.length > 500 ? `${json.slice(0, 500)}…` : json;
    }
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** `{ name, message, stack }` of an Error (or of anything else that was thrown). */
export function serializeError(error: unknown): SerializedError {
  if (typeof error !== 'object' || error === null) return { name: 'Error', message: describeThrown(error) };
  const name = read(error, 'name');
  const message = read(error, 'message');
  const stack = read(error, 'stack');
  const result: SerializedError = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : describeThrown(error),
  };
  if (typeof stack === 'string') result.stack = stack;
  return result;
}

/** An Error in this thread carrying the serialized error's name, message and stack. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  Object.defineProperty(error, 'name', { value: serialized.name, configurable: true, writable: true });
  if (serialized.stack !== undefined) Object.defineProperty(error, 'stack', { value: serialized.stack, configurable: true, writable: true });
  return error;
}
