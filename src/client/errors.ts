/** Errors of the client's transport layer. */

/** The server could not be reached or did not answer the connection check in time. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}
