/**
 * Options of the test environments: {@link LocalTestWorkflowEnvironmentOptions},
 * {@link TimeSkippingTestWorkflowEnvironmentOptions} and {@link ExistingServerTestWorkflowEnvironmentOptions}
 * (names and shapes of `@temporalio/testing`) → {@link compileTestServerOptions} →
 * the embedded server's `DevServerOptions`.
 *
 * @module
 */
import type { ClientOptions, ConnectionOptions } from '../client/index.js';
import type { SearchAttributeKey, SearchAttributeType } from '../common/index.js';
import type { DevServerOptions, LogFormat, LogLevel } from '../server/index.js';

/** Client options of a test environment: everything but the connection and namespace, which the environment sets. */
export type ClientOptionsForTestEnv = Omit<ClientOptions, 'namespace' | 'connection'>;

/**
 * The embedded server a test environment starts: in this process, on a free port, with an in-memory
 * database. Every environment gets its own server (and so its own clock).
 */
export interface TestServerConfig {
  /** Namespace to create at startup; the environment's client uses it. `default` always exists too. @default 'default' */
  namespace?: string;
  /**
   * Custom search attributes to register: keys (`defineSearchAttributeKey('CustomerId', 'KEYWORD')`)
   * or a record of name → type (`{ CustomerId: 'Keyword' }`; `KEYWORD` spellings also accepted).
   * @default none
   */
  searchAttributes?: readonly SearchAttributeKey<SearchAttributeType>[] | Readonly<Record<string, string>>;
  /** SQLite file to persist to. @default in memory */
  dbFilename?: string;
  /** Interface to listen on. @default '127.0.0.1' */
  ip?: string;
  /** Port to listen on. @default 0 (a free port) */
  port?: number;
  /** Server log level and format. @default { level: 'warn', format: 'pretty' } */
  log?: { level?: string; format?: string };
  /**
   * Accepted for migration from `@temporalio/testing` and ignored: duraflow's server is embedded,
   * nothing is downloaded or launched.
   */
  executable?: unknown;
  /**
   * Not supported (the embedded server takes typed options, not command-line arguments); a
   * non-empty array is rejected.
   */
  extraArgs?: readonly string[];
}

/** Options of {@link TestWorkflowEnvironment.createLocal}. */
export interface LocalTestWorkflowEnvironmentOptions {
  server?: TestServerConfig;
  client?: ClientOptionsForTestEnv;
}

/** Options of {@link TestWorkflowEnvironment.createTimeSkipping}. */
export interface TimeSkippingTestWorkflowEnvironmentOptions {
  server?: TestServerConfig;
  client?: ClientOptionsForTestEnv;
}

/** Connection options of {@link TestWorkflowEnvironment.createFromExistingServer}. */
export type ExistingServerConnectionOptions = Pick<ConnectionOptions, 'apiKey' | 'metadata' | 'tls'>;

/** Options of {@link TestWorkflowEnvironment.createFromExistingServer}. */
export interface ExistingServerTestWorkflowEnvironmentOptions {
  /** `host:port` of the server. @default 'localhost:7233' */
  address?: string;
  /** @default 'default' */
  namespace?: string;
  connectionOptions?: ExistingServerConnectionOptions;
  client?: ClientOptionsForTestEnv;
}

/** The dev server's name for each search attribute type. */
const SERVER_SA_TYPES: Readonly<Record<string, string>> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
  KEYWORDLIST: 'KeywordList',
};

function serverSaType(name: string, type: unknown): string {
  const key = typeof type === 'string' ? type.replace(/[\s-]/g, '').toUpperCase() : '';
  const mapped = SERVER_SA_TYPES[key];
  if (mapped === undefined) {
    throw new TypeError(`search attribute ${name} has unknown type ${JSON.stringify(type)}; use one of ${Object.keys(SERVER_SA_TYPES).slice(0, 7).join(', ')}`);
  }
  return mapped;
}

function compileSearchAttributes(sa: TestServerConfig['searchAttributes']): Record<string, string> {
  const out: Record<string, string> = {};
  if (sa === undefined) return out;
  if (Array.isArray(sa)) {
    for (const key of sa as readonly SearchAttributeKey<SearchAttributeType>[]) {
      if (typeof key?.name !== 'string' || key.name === '') throw new TypeError('searchAttributes keys need a non-empty name');
      out[key.name] = serverSaType(key.name, key.type);
    }
    return out;
  }
  if (typeof sa !== 'object' || sa === null) throw new TypeError('searchAttributes must be an array of keys or a record of name → type');
  for (const [name, type] of Object.entries(sa)) out[name] = serverSaType(name, type);
  return out;
}

function compileLog(log: TestServerConfig['log']): { logLevel: LogLevel; logFormat: LogFormat } {
  const level = (log?.level ?? 'warn').toLowerCase();
  const format = (log?.format ?? 'pretty').toLowerCase();
  return { logLevel: level as LogLevel, logFormat: format as LogFormat };
}

/**
 * The embedded server's options for a test environment: port 0, in memory, the namespace created;
 * with `timeSkipping`, the test server's time-skipping mode (starting with one lock held, released
 * while the environment's client waits for a workflow result).
 *
 * @throws TypeError naming the option that is invalid
 * @example
 * ```ts
 * const options = compileTestServerOptions({ namespace: 'ns', searchAttributes: { CustomerId: 'Keyword' } }, false);
 * const server = await DevServer.start(options);
 * ```
 */
export function compileTestServerOptions(config: TestServerConfig = {}, timeSkipping: boolean): DevServerOptions {
  if (typeof config !== 'object' || config === null) throw new TypeError('server options must be an object');
  if (config.extraArgs !== undefined && config.extraArgs.length > 0) {
    throw new TypeError(`server.extraArgs is not supported by the embedded server (got ${JSON.stringify(config.extraArgs)}); use the typed server options`);
  }
  const namespace = config.namespace ?? 'default';
  if (typeof namespace !== 'string' || namespace === '') throw new TypeError('server.namespace must be a non-empty string');
  return {
    ip: config.ip ?? '127.0.0.1',
    port: config.port ?? 0,
    dbFilename: config.dbFilename,
    namespaces: [namespace],
    searchAttributes: compileSearchAttributes(config.searchAttributes),
    ...compileLog(config.log),
    timeSkipping: timeSkipping ? { startLocked: true } : undefined,
  };
}
