/**
 * Listening and closing for the dev server's HTTP endpoints (metrics, web UI).
 *
 * @module
 */
import type { Server } from 'node:http';

/**
 * Listens on `ip:port` (0 picks a free port).
 *
 * @throws Error `Could not listen for <what> on ip:port: …` (with the socket error as cause)
 * @example
 * ```ts
 * await listen(createServer(handler), '127.0.0.1', 0, 'metrics');
 * ```
 */
export function listen(server: Server, ip: string, port: number, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`Could not listen for ${what} on ${ip}:${port}: ${error.message}`, { cause: error })));
    server.listen(port, ip, () => resolve());
  });
}

/** Stops listening and cuts open connections. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
