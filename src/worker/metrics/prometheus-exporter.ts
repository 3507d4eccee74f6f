/**
 * {@link PrometheusExporter}: serves a {@link MetricRegistry} as Prometheus text on `GET /metrics`
 * over plain HTTP (node:http), like the official Core SDK's exporter.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricRegistry, type MetricRegistryOptions } from '../../common/metric-registry.js';

/** The Prometheus text exposition content type. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Options of a Prometheus endpoint; names follow the official `prometheus` metrics option. */
export interface PrometheusOptions extends Omit<MetricRegistryOptions, 'globalTags'> {
  /** `host:port` to listen on (port 0 picks a free one), e.g. `'0.0.0.0:9464'`. */
  bindAddress: string;
}

/** `host:port` (`[v6]:port` too) → host and port; throws a TypeError naming the option. */
export function parseBindAddress(bindAddress: string, option = 'bindAddress'): { host: string; port: number } {
  const match = typeof bindAddress === 'string' ? /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(bindAddress) : null;
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new TypeError(`${option} must be "host:port", got ${JSON.stringify(bindAddress)}`);
  return { host: (match[1] ?? match[2]) as string, port };
}

/** Answers `GET /metrics` with `render()`, anything else with 404 (or 405 for another method). */
export function metricsRequestHandler(render: () => string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are served at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed\n');
      return;
    }
    let body: string;
    try {
      body = render();
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`Could not render metrics: ${String(error)}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * Starts an HTTP server answering with `handler` on `bindAddress`. The server is returned at once;
 * `ready` resolves once it listens (or rejects, e.g. when the port is taken).
 */
export function listenHttp(
  bindAddress: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  option = 'bindAddress',
): { server: Server; host: string; ready: Promise<void> } {
  const { host, port } = parseBindAddress(bindAddress, option);
  const server = createServer(handler);
  const ready = new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`Could not listen on ${bindAddress} (${option}): ${error.message}`, { cause: error })));
    server.listen(port, host, () => resolve());
  });
  ready.catch(() => undefined);
  server.unref();
  return { server, host, ready };
}

/** Closes an HTTP server and its idle keep-alive connections. */
export function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * A Prometheus scrape endpoint over a {@link MetricRegistry}.
 *
 * @example
 * ```ts
 * const exporter = await PrometheusExporter.start({ bindAddress: '127.0.0.1:0' });
 * exporter.registry.createCounter('jobs').add(1);
 * await fetch(`http://${exporter.address}/metrics`); // "# HELP jobs ...\njobs 1\n"
 * await exporter.close();
 * ```
 */
export class PrometheusExporter {
  /** Resolves once the endpoint listens; rejects if the address cannot be bound. */
  readonly ready: Promise<void>;

  private constructor(
    readonly registry: MetricRegistry,
    private readonly server: Server,
    /** The host bound. */
    readonly host: string,
    ready: Promise<void>,
  ) {
    this.ready = ready;
  }

  /** The port bound (the real one when 0 was asked for); 0 until {@link ready}. */
  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** `host:port` the endpoint listens on (after {@link ready}). */
  get address(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Starts listening on `options.bindAddress` and returns at once (see {@link ready}). */
  static create(options: PrometheusOptions, registry: MetricRegistry = new MetricRegistry(options)): PrometheusExporter {
    if (typeof options !== 'object' || options === null) throw new TypeError('prometheus options must be an object with a bindAddress');
    const { server, host, ready } = listenHttp(options.bindAddress, metricsRequestHandler(() => registry.render()), 'prometheus.bindAddress');
    return new PrometheusExporter(registry, server, host, ready);
  }

  /** {@link create}, resolving once the endpoint listens. */
  static async start(options: PrometheusOptions, registry?: MetricRegistry): Promise<PrometheusExporter> {
    const exporter = PrometheusExporter.create(options, registry);
    await exporter.ready;
    return exporter;
  }

  /** Stops listening. */
  close(): Promise<void> {
    return closeHttp(this.server);
  }
}
