/**
 * Error classes of the visibility query language.
 *
 * @module
 */

/**
 * A List/Count visibility query (or one of its values) cannot be parsed or is not supported by this
 * store. The server maps it to gRPC `INVALID_ARGUMENT`. The message always starts with
 * `"invalid query: "` and, where a token is at fault, ends with `at position N` (1-based character
 * offset into the query string), optionally followed by `; ` and what is allowed there.
 */
export class InvalidVisibilityQueryError extends Error {
  /** 1-based character offset of the offending token, when there is one. */
  readonly position: number | undefined;

  /**
   * @param detail - what is wrong, without the `invalid query: ` prefix.
   * @param position - 1-based offset of the offending token; appended as `at position N`.
   * @param hint - what would be accepted instead; appended after the position as `; hint`.
   */
  constructor(detail: string, position?: number, hint?: string) {
    const where = position === undefined ? '' : ` at position ${position}`;
    super(`invalid query: ${detail}${where}${hint === undefined ? '' : `; ${hint}`}`);
    this.position = position;
  }
}
Object.defineProperty(InvalidVisibilityQueryError.prototype, 'name', { value: 'InvalidVisibilityQueryError' });

/**
 * A search-attribute value sent by a client (start, upsert, schedule) does not fit the attribute's
 * registered type. The server maps it to gRPC `INVALID_ARGUMENT`.
 */
export class InvalidSearchAttributeValueError extends Error {
  /** The attribute whose value was rejected. */
  readonly attributeName: string;

  /**
   * @param attributeName - the search attribute's name.
   * @param detail - what is wrong with the value.
   */
  constructor(attributeName: string, detail: string) {
    super(`invalid value for search attribute '${attributeName}': ${detail}`);
    this.attributeName = attributeName;
  }
}
Object.defineProperty(InvalidSearchAttributeValueError.prototype, 'name', { value: 'InvalidSearchAttributeValueError' });
