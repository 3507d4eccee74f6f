/**
 * Small runtime type guards and the cross-realm error branding used by every error class in common.
 *
 * @module
 */

/** True for any non-null object (arrays included). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Duck-typed `Error` check that also accepts errors created in another realm (a vm context, an SES
 * Compartment) where `instanceof Error` is false.
 */
export function isError(value: unknown): value is Error {
  return (
    isRecord(value) &&
    typeof value['name'] === 'string' &&
    typeof value['message'] === 'string' &&
    (value['stack'] === undefined || value['stack'] === null || typeof value['stack'] === 'string')
  );
}

/** `error.message` for errors, the string itself for strings, otherwise `undefined`. */
export function errorMessage(error: unknown): string | undefined {
  if (isError(error)) return error.message;
  if (typeof error === 'string') return error;
  return undefined;
}

/** `error.code` when it is a string (Node system errors, gRPC errors), otherwise `undefined`. */
export function errorCode(error: unknown): string | undefined {
  if (isRecord(error) && typeof error['code'] === 'string') return error['code'];
  return undefined;
}

/**
 * A short human-readable rendering of any value for error messages. Never throws (unlike
 * template-literal interpolation of a Symbol or an object with a throwing `toString`).
 */
export function describeValue(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'bigint') return `${value.toString()}n`;
    if (typeof value === 'symbol' || typeof value === 'function') return String(value);
    if (value instanceof Date) return `Date(${value.toISOString()})`;
    if (isRecord(value)) {
      const json = JSON.stringify(value);
      if (json !== undefined) return json.length > 200 ? `${json.slice(0, 200)}…` : json;
    }
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Anything `new`-able that produces an Error. */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/** The registry key of the brand placed on the prototype of a class marked `name`. */
export function errorBrand(name: string): symbol {
  // Same key as the official SDK uses, so errors built by `@temporalio/*` are recognised as ours and
  // vice versa (users may mix both packages while migrating).
  return Symbol.for(`__temporal_is${name}`);
}

/**
 * Marks an error class so that `instanceof` works across realms and across several loaded copies of
 * this module: sets a non-writable `name` on the prototype, brands the prototype with a
 * `Symbol.for` key and installs a `Symbol.hasInstance` that checks the brand.
 *
 * Subclasses that are not themselves marked fall back to the ordinary prototype-chain check, so a
 * marked parent never claims instances of its unrelated siblings.
 *
 * @example
 * ```ts
 * export class MyError extends Error {}
 * markErrorClass(MyError, 'MyError');
 * ```
 */
export function markErrorClass(cls: ErrorClass, name: string): void {
  const brand = errorBrand(name);
  Object.defineProperty(cls.prototype, 'name', { value: name, enumerable: true });
  Object.defineProperty(cls.prototype, brand, { value: true, enumerable: false });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value: function hasInstance(this: unknown, candidate: unknown): boolean {
      if (this === cls) return isRecord(candidate) && (candidate as Record<PropertyKey, unknown>)[brand] === true;
      // `this` is an unmarked subclass inheriting this method: use the plain prototype check.
      const proto = (this as { prototype?: unknown }).prototype;
      return isRecord(proto) && isRecord(candidate) && Object.prototype.isPrototypeOf.call(proto, candidate);
    },
  });
}
