/** `duraflow server start-dev`: flags compatible with `temporal server start-dev` as the Temporal SDKs launch it. */
import { readFileSync } from 'node:fs';
import { DevServer, type DevServerOptions, type LogFormat, type LogLevel } from '../server/index.js';
import { CliError, parseFlags, type FlagSpec } from './flags.js';

const FLAGS: Record<string, FlagSpec> = {
  port: { kind: 'value', short: 'p' },
  ip: { kind: 'value' },
  namespace: { kind: 'list', short: 'n' },
  'db-filename': { kind: 'value', short: 'f' },
  headless: { kind: 'bool' },
  'ui-port': { kind: 'value' },
  'ui-ip': { kind: 'value' },
  'http-port': { kind: 'value' },
  'metrics-port': { kind: 'value' },
  'log-format': { kind: 'value' },
  'log-level': { kind: 'value' },
  'search-attribute': { kind: 'list' },
  'dynamic-config-value': { kind: 'list' },
  'log-config': { kind: 'bool' },
  output: { kind: 'value', short: 'o' },
  'tls-cert': { kind: 'value' },
  'tls-key': { kind: 'value' },
  'tls-client-ca': { kind: 'value' },
  'api-key': { kind: 'value' },
  help: { kind: 'bool', short: 'h' },
};

export const START_DEV_HELP = `duraflow server start-dev: Run the embedded Temporal dev server

Usage: duraflow server start-dev [flags]

Serves the Temporal gRPC API (WorkflowService, OperatorService) until SIGINT or SIGTERM. The flags
are those \`temporal server start-dev\` takes, so SDK test environments can launch either.

Examples:
  duraflow server start-dev
  duraflow server start-dev --db-filename dev.db --namespace orders --port 7233
  duraflow server start-dev --port 0 --output json     # {"address":"127.0.0.1:40123",...}

Flags:
  --port, -p N              gRPC port (default 7233; 0 picks a free port)
  --ip ADDR                 interface to listen on (default 127.0.0.1)
  --namespace, -n NAME      extra namespace to create (repeatable; "default" always exists)
  --db-filename, -f FILE    persist to this SQLite file (default: in memory)
  --search-attribute K=T    register a custom search attribute, T one of Text, Keyword, Int, Double,
                            Bool, Datetime, KeywordList (repeatable)
  --dynamic-config-value K=V  system.enableActivityEagerExecution=true|false; the other keys SDK test
                            environments pass are accepted (repeatable)
  --metrics-port N          serve Prometheus metrics at http://IP:N/metrics (0 picks a free port)
  --log-level LEVEL         debug | info | warn | error | never (default warn)
  --log-format FORMAT       pretty (default) | json
  --output, -o json         print the ready line as JSON (address, namespaces, dbFilename, metricsPort, uiUrl)
  --tls-cert FILE, --tls-key FILE  serve TLS (PEM files)
  --tls-client-ca FILE      require client certificates signed by this CA (mTLS)
  --api-key KEY             require "authorization: Bearer KEY" on every call
  --ui-port N               web UI port (default: the gRPC port + 1000, e.g. 8233; a free one with --port 0)
  --ui-ip ADDR              interface for the web UI (default: --ip)
  --headless                no web UI
  --http-port, --log-config accepted for compatibility; no effect
  --help, -h                Show this help
`;

/**
 * Dynamic config keys accepted silently: what the Temporal SDKs' test environments pass, and settings
 * whose behaviour this server always has. Any other key is accepted with a warning.
 */
const KNOWN_DYNAMIC_CONFIG = new Set([
  'frontend.enableServerVersionCheck',
  'frontend.enableUpdateWorkflowExecution',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted',
  'frontend.enableExecuteMultiOperation',
  'frontend.workerVersioningDataAPIs',
  'frontend.workerVersioningWorkflowAPIs',
  'system.forceSearchAttributesCacheRefreshOnRead',
  'system.enableEagerWorkflowStart',
  'history.enableSpeculativeWorkflowTask',
]);

/** The dynamic config key that turns eager activity execution on or off (on by default here). */
const EAGER_ACTIVITIES_KEY = 'system.enableActivityEagerExecution';

/** A boolean dynamic config value as the Temporal CLI takes it (YAML: `true`/`false`). */
function parseBoolValue(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new CliError(`--dynamic-config-value ${key} must be true or false, got "${value}"`);
}

const SA_TYPES = new Map(['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'].map((t) => [t.toLowerCase(), t]));

function parsePort(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--${flag} must be a port number, got "${value}"`);
  return port;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliError(`--${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
}

function tlsOptions(cert: string | undefined, key: string | undefined, clientCa: string | undefined): DevServerOptions['tls'] {
  if (!cert && !key && !clientCa) return undefined;
  if (!cert || !key) throw new CliError('--tls-cert and --tls-key must be given together');
  return {
    cert: readPem(cert, 'tls-cert'),
    key: readPem(key, 'tls-key'),
    clientCa: clientCa ? readPem(clientCa, 'tls-client-ca') : undefined,
  };
}

/** The web UI's options: on the gRPC port + 1000 (as `temporal server start-dev`) unless headless. */
function uiOptions(values: Record<string, string | undefined>, headless: boolean, port: number): Pick<DevServerOptions, 'uiPort' | 'uiIp'> & { uiPortDefaulted: boolean } {
  if (headless) return { uiPortDefaulted: false };
  const explicit = values['ui-port'] !== undefined;
  const uiPort = explicit ? parsePort(values['ui-port'], 'ui-port', 0) : port === 0 || port + 1000 > 65535 ? 0 : port + 1000;
  const uiIp = values['ui-ip'] === 'localhost' ? '127.0.0.1' : values['ui-ip'];
  return { uiPort, uiIp, uiPortDefaulted: !explicit };
}

/** Builds server options from argv, warning (not failing) on flags the dev server does not use. */
export function startDevOptions(
  argv: readonly string[],
  warn: (message: string) => void,
): (DevServerOptions & { json: boolean; uiPortDefaulted: boolean }) | 'help' {
  const { values, lists, bools, unknown } = parseFlags(argv, FLAGS);
  if (bools.help === true) return 'help';
  for (const flag of unknown) warn(`ignoring unknown flag ${flag}`);
  const searchAttributes: Record<string, string> = {};
  for (const spec of lists['search-attribute'] ?? []) {
    const [name, type] = spec.split('=');
    const canonical = SA_TYPES.get((type ?? '').toLowerCase());
    if (!name || !canonical) throw new CliError(`--search-attribute must be NAME=TYPE with TYPE one of Text, Keyword, Int, Double, Bool, Datetime, KeywordList; got "${spec}"`);
    searchAttributes[name] = canonical;
  }
  let eagerActivities: boolean | undefined;
  for (const kv of lists['dynamic-config-value'] ?? []) {
    const key = kv.slice(0, kv.indexOf('='));
    if (!kv.includes('=') || !key) throw new CliError(`--dynamic-config-value must be KEY=VALUE, got "${kv}"`);
    if (key === EAGER_ACTIVITIES_KEY) eagerActivities = parseBoolValue(key, kv.slice(key.length + 1));
    else if (!KNOWN_DYNAMIC_CONFIG.has(key)) warn(`dynamic config key ${key} is not used by the duraflow dev server; ignoring it`);
  }
  const ip = values.ip === 'localhost' || values.ip === undefined ? '127.0.0.1' : values.ip;
  const port = parsePort(values.port, 'port', 7233);
  const level = (values['log-level'] ?? 'warn').toLowerCase();
  const logLevel = (level === 'never' ? 'error' : level) as LogLevel;
  return {
    ip,
    tls: tlsOptions(values['tls-cert'], values['tls-key'], values['tls-client-ca']),
    apiKey: values['api-key'],
    port,
    ...uiOptions(values, bools.headless === true, port),
    metricsPort: values['metrics-port'] === undefined ? undefined : parsePort(values['metrics-port'], 'metrics-port', 0),
    dbFilename: values['db-filename'],
    namespaces: lists.namespace ?? [],
    searchAttributes,
    logLevel,
    logFormat: (values['log-format'] ?? 'pretty') as LogFormat,
    eagerActivities,
    json: values.output === 'json',
  };
}

/** Starts the server; when the web UI's default port is taken, without the UI (and says so). */
async function startServer(options: DevServerOptions, uiPortDefaulted: boolean): Promise<DevServer> {
  try {
    return await DevServer.start(options);
  } catch (error) {
    if (!uiPortDefaulted || !(error instanceof Error) || !error.message.includes('web UI')) throw error;
    process.stderr.write(`warning: ${error.message}; starting without the web UI (choose a port with --ui-port)\n`);
    return await DevServer.start({ ...options, uiPort: undefined, uiIp: undefined });
  }
}

/** Runs the dev server until SIGINT/SIGTERM. */
export async function startDev(argv: readonly string[]): Promise<void> {
  const parsed = startDevOptions(argv, (m) => process.stderr.write(`warning: ${m}\n`));
  if (parsed === 'help') {
    process.stdout.write(START_DEV_HELP);
    return;
  }
  const { json, uiPortDefaulted, ...options } = parsed;
  const server = await startServer(options, uiPortDefaulted);
  const where = options.dbFilename ? `database ${options.dbFilename}` : 'in-memory database';
  const metrics = server.metricsPort === undefined ? '' : `; metrics at http://${server.options.ip}:${server.metricsPort}/metrics`;
  const ui = server.uiUrl === undefined ? '' : `; web UI at ${server.uiUrl}`;
  if (json) {
    const ready = { address: server.address, namespaces: server.options.namespaces, dbFilename: options.dbFilename ?? null, metricsPort: server.metricsPort ?? null, uiUrl: server.uiUrl ?? null };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  } else {
    process.stdout.write(`duraflow dev server listening on ${server.address} (${where}; namespaces: ${server.options.namespaces.join(', ')}${metrics}${ui})\n`);
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      server.stop().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
