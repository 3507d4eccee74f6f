/** Errors of the client's transport layer. */
import { markErrorClass } from '../common/index.js';

/** The server could not be reached or did not answer the connection check in time. */
export class ConnectionError extends Error {}
markErrorClass(ConnectionError, 'ConnectionError');
