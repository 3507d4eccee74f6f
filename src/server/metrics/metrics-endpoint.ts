/**
 * The dev server's Prometheus endpoint: `GET /metrics` over plain HTTP on its own port.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { close, listen } from '../http/listen.js';

/** The Prometheus text exposition content type. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A listening metrics endpoint.
 *
 * @example
 * ```ts
 * const endpoint = await MetricsEndpoint.listen('127.0.0.1', 0, () => registry.render());
 * console.log(endpoint.port);
 * await endpoint.close();
 * ```
 */
export class MetricsEndpoint {
  private constructor(private readonly server: Server) {}

  /** The port bound. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Listens on `ip:port` (0 picks a free port); rejects when the port cannot be bound. */
  static async listen(ip: string, port: number, render: () => string): Promise<MetricsEndpoint> {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`metricsPort must be an integer 0-65535, got ${port}`);
    const server = createServer((req, res) => {
      if ((req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are served at /metrics\n');
        return;
      }
      try {
        const body = render();
        res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`Could not render metrics: ${String(error)}\n`);
      }
    });
    await listen(server, ip, port, 'metrics');
    return new MetricsEndpoint(server);
  }

  /** Stops listening (open scrapes are cut). */
  close(): Promise<void> {
    return close(this.server);
  }
}
