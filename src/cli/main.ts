/** The `duraflow` command line. */
import { startDev } from './start-dev.js';
import { runTestServer } from './test-server.js';
import { CliError } from './flags.js';

const USAGE = `Usage: duraflow <command>

Commands:
  server start-dev [flags]   Run the embedded Temporal dev server
      --port, -p N             gRPC port (default 7233; 0 picks a free port)
      --ip ADDR                interface to listen on (default 127.0.0.1)
      --namespace, -n NAME     extra namespace to create (repeatable; "default" always exists)
      --db-filename, -f FILE   persist to this SQLite file (default: in memory)
      --search-attribute K=T   register a custom search attribute (repeatable)
      --log-level LEVEL        debug | info | warn | error (default warn)
      --log-format FORMAT      pretty | json
      --output, -o json        print the ready line as JSON
      --tls-cert F, --tls-key F  serve TLS (PEM files); --tls-client-ca F requires client certs (mTLS)
      --api-key KEY            require "authorization: Bearer KEY" on every call
  test-server <port> [--enable-time-skipping]
                             Run the time-skipping test server (also: duraflow-test-server)
`;

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (command === 'server' && sub === 'start-dev') return startDev(rest);
  if (command === 'test-server') return runTestServer(argv.slice(1));
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  throw new CliError(`unknown command "${[command, sub].filter(Boolean).join(' ')}"; run "duraflow help"`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`duraflow: ${message}\n`);
    process.exit(error instanceof CliError ? 2 : 1);
  },
);
