/**
 * The flags every client command shares (server address, namespace, TLS, API key, output format),
 * named and defaulted as in the `temporal` CLI, including its environment variables, and the
 * client they connect.
 *
 * @example
 * ```ts
 * await withClient(args, async (client, ctx) => console.log(ctx.namespace, await client.workflow.count()));
 * ```
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ClientOptions, type ConnectionOptions, type TLSConfig } from '../client/index.js';
import type { CommandArgs, FlagDefs } from './command.js';
import { CliError } from './flags.js';
import { OUTPUT_FORMATS, Printer, type OutputFormat } from './output.js';
import { parseDuration } from './values.js';

/** The connection and output flags of `duraflow workflow …` and `duraflow schedule …`. */
export const CLIENT_FLAGS: FlagDefs = {
  address: { kind: 'value', arg: 'HOST:PORT', description: 'Temporal Service gRPC endpoint (env TEMPORAL_ADDRESS; default localhost:7233)' },
  namespace: { kind: 'value', short: 'n', arg: 'NAME', description: 'Namespace (env TEMPORAL_NAMESPACE; default "default")' },
  'api-key': { kind: 'value', arg: 'KEY', description: 'API key sent as a bearer token; turns TLS on unless --tls=false (env TEMPORAL_API_KEY)' },
  tls: { kind: 'bool', description: 'Use TLS; implied by the other --tls-* flags and by --api-key (env TEMPORAL_TLS)' },
  'tls-cert-path': { kind: 'value', arg: 'FILE', description: 'Client certificate (PEM) for mutual TLS (env TEMPORAL_TLS_CLIENT_CERT_PATH)' },
  'tls-key-path': { kind: 'value', arg: 'FILE', description: 'Client private key (PEM) for mutual TLS (env TEMPORAL_TLS_CLIENT_KEY_PATH)' },
  'tls-ca-path': { kind: 'value', arg: 'FILE', description: 'CA certificate (PEM) to trust for the server (env TEMPORAL_TLS_SERVER_CA_CERT_PATH)' },
  'tls-cert-data': { kind: 'value', arg: 'PEM', description: 'Client certificate given inline (env TEMPORAL_TLS_CLIENT_CERT_DATA)' },
  'tls-key-data': { kind: 'value', arg: 'PEM', description: 'Client private key given inline (env TEMPORAL_TLS_CLIENT_KEY_DATA)' },
  'tls-ca-data': { kind: 'value', arg: 'PEM', description: 'Server CA certificate given inline (env TEMPORAL_TLS_SERVER_CA_CERT_DATA)' },
  'tls-server-name': { kind: 'value', arg: 'NAME', description: 'Server name to verify and send as SNI (env TEMPORAL_TLS_SERVER_NAME)' },
  'grpc-meta': { kind: 'list', arg: 'KEY=VALUE', description: 'gRPC metadata sent with every call' },
  identity: { kind: 'value', arg: 'IDENTITY', description: 'Identity recorded with the requests (default <pid>@<hostname>)' },
  'client-connect-timeout': { kind: 'value', arg: 'DURATION', description: 'How long to wait for the server to answer the first call (default 10s)' },
  output: { kind: 'value', short: 'o', arg: 'FORMAT', choices: OUTPUT_FORMATS, description: 'Output: table (for people; "text" also accepted), json (one document), jsonl (one JSON value per line)' },
};

/** Where and how to connect, after flags, environment variables and defaults. */
export interface ClientContext {
  readonly namespace: string;
  readonly connection: ConnectionOptions;
  readonly identity: string | undefined;
  readonly printer: Printer;
}

type Env = Readonly<Record<string, string | undefined>>;

function pem(path: string | undefined, data: string | undefined, flag: string): Buffer | undefined {
  if (data !== undefined) return Buffer.from(data);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`--${flag}: cannot read ${path}: ${(error as Error).message}`);
  }
}

function envBool(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new CliError(`environment variable ${name} must be true or false, got "${value}"`);
}

/** TLS settings from the flags (or their environment variables); undefined when nothing asks for TLS. */
function tlsConfig(args: CommandArgs, env: Env): TLSConfig | false | undefined {
  const v = (flag: string, envName: string): string | undefined => args.values[flag] ?? (env[envName] || undefined);
  const cert = pem(v('tls-cert-path', 'TEMPORAL_TLS_CLIENT_CERT_PATH'), v('tls-cert-data', 'TEMPORAL_TLS_CLIENT_CERT_DATA'), 'tls-cert-path');
  const key = pem(v('tls-key-path', 'TEMPORAL_TLS_CLIENT_KEY_PATH'), v('tls-key-data', 'TEMPORAL_TLS_CLIENT_KEY_DATA'), 'tls-key-path');
  const ca = pem(v('tls-ca-path', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'), v('tls-ca-data', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'), 'tls-ca-path');
  const serverName = v('tls-server-name', 'TEMPORAL_TLS_SERVER_NAME');
  if ((cert === undefined) !== (key === undefined)) throw new CliError('--tls-cert-path and --tls-key-path must be given together');
  const explicit = args.bools.tls ?? envBool(env['TEMPORAL_TLS'], 'TEMPORAL_TLS');
  const anyOption = cert !== undefined || ca !== undefined || serverName !== undefined;
  if (explicit === false) {
    if (anyOption) throw new CliError('--tls=false cannot be combined with --tls-* options');
    return false;
  }
  if (!explicit && !anyOption) return undefined;
  return {
    serverRootCACertificate: ca,
    serverNameOverride: serverName,
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
  };
}

function grpcMetadata(entries: readonly string[]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new CliError(`--grpc-meta must be KEY=VALUE, got "${entry}"`);
    metadata[entry.slice(0, eq).toLowerCase()] = entry.slice(eq + 1);
  }
  return metadata;
}

/** Resolves the connection flags: flag > environment variable > default, as the `temporal` CLI does. */
export function clientContext(args: CommandArgs, env: Env = process.env): ClientContext {
  const address = args.values.address ?? (env['TEMPORAL_ADDRESS'] || 'localhost:7233');
  const namespace = args.values.namespace ?? (env['TEMPORAL_NAMESPACE'] || 'default');
  if (namespace === '') throw new CliError('--namespace must not be empty');
  const apiKey = args.values['api-key'] ?? (env['TEMPORAL_API_KEY'] || undefined);
  if (apiKey === '') throw new CliError('--api-key must not be empty');
  const tls = tlsConfig(args, env);
  const output = (args.values.output ?? 'table') as OutputFormat;
  const timeout = args.values['client-connect-timeout'];
  return {
    namespace,
    identity: args.values.identity,
    printer: new Printer(output),
    connection: {
      address,
      apiKey,
      tls: tls === undefined ? undefined : tls,
      metadata: grpcMetadata(args.lists['grpc-meta'] ?? []),
      connectTimeout: timeout === undefined ? undefined : parseDuration(timeout, 'client-connect-timeout'),
    },
  };
}

/**
 * Connects (failing with a clear message when the options are invalid), runs `fn` with a client
 * (`extra` adds client options), then closes the connection.
 */
export async function withClient<T>(
  args: CommandArgs,
  fn: (client: Client, ctx: ClientContext) => Promise<T>,
  extra: Pick<ClientOptions, 'workflow'> = {},
): Promise<T> {
  const ctx = clientContext(args);
  let connection: Connection;
  try {
    connection = await Connection.connect(ctx.connection);
  } catch (error) {
    if (error instanceof TypeError) throw new CliError(error.message);
    throw error;
  }
  try {
    const client = new Client({ ...extra, connection, namespace: ctx.namespace, identity: ctx.identity });
    return await fn(client, ctx);
  } finally {
    await connection.close();
  }
}
