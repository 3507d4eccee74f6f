/** Dev server options: {@link DevServerOptions} → {@link compileDevServerOptions} → {@link CompiledDevServerOptions}. */
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { LogFormat, LogLevel } from './logger.js';

export interface DevServerOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  ip?: string;
  /** gRPC port; 0 picks a free one. @default 7233 */
  port?: number;
  /** SQLite file to persist to; in memory when absent. @default ':memory:' */
  dbFilename?: string;
  /** Namespaces to create besides `default`. @default [] */
  namespaces?: readonly string[];
  /** Custom search attributes to register in every namespace (name → type). @default {} */
  searchAttributes?: Readonly<Record<string, string>>;
  /** How long task-queue long polls wait before the empty response. @default 55_000 */
  longPollMs?: number;
  /** @default 'warn' */
  logLevel?: LogLevel;
  /** @default 'pretty' */
  logFormat?: LogFormat;
  /** Time source (time skipping replaces it). @default the system clock */
  clock?: Clock;
  /**
   * Run Temporal's time-skipping TestService: with no lock held and no work in flight, time jumps
   * to the next timer. `startLocked` mirrors the test server, which starts with one lock held.
   * @default undefined (real time)
   */
  timeSkipping?: { startLocked: boolean };
  /** Serve TLS with this certificate and key (PEM); with `clientCa`, require client certificates (mTLS). */
  tls?: { cert: string | Uint8Array; key: string | Uint8Array; clientCa?: string | Uint8Array };
  /** Require `authorization: Bearer <apiKey>` on every call (others get UNAUTHENTICATED). */
  apiKey?: string;
  /**
   * Serve the server's own Prometheus metrics at `http://<ip>:<metricsPort>/metrics` (RPCs,
   * persistence, task-queue backlog and pollers); 0 picks a free port. @default undefined (off)
   */
  metricsPort?: number;
  /**
   * Start activities that a completing worker asks to run eagerly (`request_eager_execution`) and
   * return them in its RespondWorkflowTaskCompleted response instead of queueing them: Temporal's
   * `system.enableActivityEagerExecution`. @default true
   */
  eagerActivities?: boolean;
  /**
   * Serve the web UI (workflows and their histories, task queues, schedules) at
   * `http://<uiIp>:<uiPort>/`; 0 picks a free port. `duraflow server start-dev` serves it on the
   * gRPC port + 1000 unless `--headless`. @default undefined (no UI)
   */
  uiPort?: number;
  /** Interface the web UI listens on. @default ip */
  uiIp?: string;
}

export interface CompiledDevServerOptions {
  readonly ip: string;
  readonly port: number;
  readonly dbFilename: string;
  readonly namespaces: readonly string[];
  readonly searchAttributes: Readonly<Record<string, string>>;
  readonly longPollMs: number;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly clock: Clock;
  readonly timeSkipping: { startLocked: boolean } | undefined;
  readonly tls: { cert: Buffer; key: Buffer; clientCa: Buffer | undefined } | undefined;
  readonly apiKey: string | undefined;
  readonly metricsPort: number | undefined;
  readonly eagerActivities: boolean;
  readonly ui: { readonly ip: string; readonly port: number } | undefined;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const SA_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];

/** Applies defaults and validates, with a message naming the bad option. */
export function compileDevServerOptions(o: DevServerOptions = {}): CompiledDevServerOptions {
  const port = o.port ?? 7233;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`port must be an integer 0-65535, got ${port}`);
  const longPollMs = o.longPollMs ?? 55_000;
  if (!(longPollMs > 0 && longPollMs < 60_000)) throw new TypeError(`longPollMs must be in (0, 60000), got ${longPollMs}`);
  const logLevel = o.logLevel ?? 'warn';
  if (!LEVELS.includes(logLevel)) throw new TypeError(`logLevel must be one of ${LEVELS.join(', ')}, got ${logLevel}`);
  const logFormat = o.logFormat ?? 'pretty';
  if (logFormat !== 'pretty' && logFormat !== 'json') throw new TypeError(`logFormat must be pretty or json, got ${logFormat}`);
  const searchAttributes = { ...(o.searchAttributes ?? {}) };
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (!SA_TYPES.includes(type)) throw new TypeError(`search attribute ${name} has unknown type ${type}; use one of ${SA_TYPES.join(', ')}`);
  }
  const ip = o.ip ?? '127.0.0.1';
  return {
    ip,
    port,
    dbFilename: o.dbFilename ?? ':memory:',
    namespaces: [...new Set(['default', ...(o.namespaces ?? [])])],
    searchAttributes,
    longPollMs,
    logLevel,
    logFormat,
    clock: o.clock ?? systemClock,
    timeSkipping: o.timeSkipping,
    tls: compileTls(o.tls),
    apiKey: compileApiKey(o.apiKey),
    metricsPort: compilePort(o.metricsPort, 'metricsPort'),
    eagerActivities: compileFlag(o.eagerActivities, 'eagerActivities', true),
    ui: compileUi(o, ip),
  };
}

function compileFlag(value: boolean | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false, got ${String(value)}`);
  return value;
}

function compileTls(tls: DevServerOptions['tls']): CompiledDevServerOptions['tls'] {
  if (!tls) return undefined;
  if (!tls.cert || !tls.key) throw new TypeError('tls needs both cert and key (PEM)');
  return {
    cert: Buffer.from(tls.cert),
    key: Buffer.from(tls.key),
    clientCa: tls.clientCa ? Buffer.from(tls.clientCa) : undefined,
  };
}

function compilePort(port: number | undefined, name: string): number | undefined {
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`${name} must be an integer 0-65535, got ${port}`);
  return port;
}

function compileUi(o: DevServerOptions, ip: string): CompiledDevServerOptions['ui'] {
  const port = compilePort(o.uiPort, 'uiPort');
  if (o.uiIp !== undefined && (typeof o.uiIp !== 'string' || o.uiIp === '')) throw new TypeError('uiIp must be a non-empty string');
  if (port === undefined) {
    if (o.uiIp !== undefined) throw new TypeError('uiIp needs uiPort (the web UI is off without it)');
    return undefined;
  }
  return { ip: o.uiIp ?? ip, port };
}

function compileApiKey(apiKey: string | undefined): string | undefined {
  if (apiKey === undefined) return undefined;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new TypeError('apiKey must be a non-empty string');
  return apiKey;
}
