/**
 * The dev server's web UI over plain HTTP on its own port: one page (HTML, script, style) and the
 * JSON API it calls ({@link UiApi}). Meant for a person on the same machine: the API takes only
 * `application/json` POSTs (a page on another site cannot send those without a CORS preflight,
 * which is never granted), and a UI listening on a loopback address answers only requests addressed
 * to a loopback host name (no DNS rebinding).
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { close, listen } from './listen.js';
import type { UiApi } from './ui-api.js';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from './ui-page.js';

/** The largest request body the API reads. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const STATIC: Readonly<Record<string, { type: string; body: string }>> = {
  '/': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
  '/index.html': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
  '/app.js': { type: 'text/javascript; charset=utf-8', body: PAGE_JS },
  '/app.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
};

const API_PATH = /^\/api\/v1\/([a-z]+)\/([A-Za-z]+)$/;

export interface UiServerOptions {
  /** When set, API calls need `authorization: Bearer <apiKey>` (the page asks for it). */
  readonly apiKey?: string;
}

/**
 * A listening web UI.
 *
 * @example
 * ```ts
 * const ui = await UiServer.listen('127.0.0.1', 8233, api);
 * console.log(`http://127.0.0.1:${ui.port}/`);
 * await ui.close();
 * ```
 */
export class UiServer {
  private constructor(private readonly server: Server) {}

  /** The port bound. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Listens on `ip:port` (0 picks a free port); rejects when the port cannot be bound. */
  static async listen(ip: string, port: number, api: UiApi, options: UiServerOptions = {}): Promise<UiServer> {
    const loopbackOnly = isLoopback(ip);
    const server = createServer((req, res) => {
      if (loopbackOnly && !isLoopback(hostNameOf(req))) return send(res, 403, 'text/plain', 'Forbidden: use a localhost address\n');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const page = STATIC[path];
      if (page) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed\n');
        return send(res, 200, page.type, req.method === 'HEAD' ? '' : page.body, PAGE_HEADERS);
      }
      const match = API_PATH.exec(path);
      if (!match) return send(res, 404, 'text/plain', 'Not found\n');
      void serveApi(api, match[1] ?? '', match[2] ?? '', req, res, options.apiKey);
    });
    await listen(server, ip, port, 'the web UI');
    return new UiServer(server);
  }

  /** Stops listening (open requests are cut). */
  close(): Promise<void> {
    return close(this.server);
  }
}

async function serveApi(api: UiApi, service: string, method: string, req: IncomingMessage, res: ServerResponse, apiKey: string | undefined): Promise<void> {
  const json = (code: number, body: unknown): void => send(res, code, 'application/json', JSON.stringify(body), { 'cache-control': 'no-store' });
  if (req.method !== 'POST') return json(405, { code: 'UNIMPLEMENTED', message: 'use POST' });
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return json(415, { code: 'INVALID_ARGUMENT', message: 'the body must be application/json' });
  }
  if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) {
    return json(401, { code: 'UNAUTHENTICATED', message: 'this server needs its API key: send "authorization: Bearer <key>"' });
  }
  if (!api.isOpen(service, method)) return json(404, { code: 'NOT_FOUND', message: `${service}/${method} is not part of the UI API` });
  let body: unknown;
  try {
    const text = await readBody(req);
    body = text === '' ? {} : JSON.parse(text);
  } catch (error) {
    return json(400, { code: 'INVALID_ARGUMENT', message: `the body is not JSON: ${(error as Error).message}` });
  }
  const aborted = new AbortController();
  res.once('close', () => aborted.abort());
  const result = await api.call(service, method, body, aborted.signal);
  if (!res.writableEnded) json(result.httpStatus, result.body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, code: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'content-type': type, ...headers }).end(body);
}

/** The host name a request was addressed to (its Host header without the port). */
function hostNameOf(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  return bracketed ? (bracketed[1] ?? '') : host.replace(/:\d*$/, '');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
