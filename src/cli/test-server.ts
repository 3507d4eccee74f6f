/**
 * `duraflow-test-server <port> [--enable-time-skipping]`: the time-skipping test server, launched by
 * `TestWorkflowEnvironment.createTimeSkipping()` of the Temporal SDKs. In-memory, namespace `default`.
 * It starts with one time-skipping lock held unless `--enable-time-skipping` is given; SDK clients
 * release it while they wait for workflow results.
 */
import { DevServer } from '../server/index.js';
import { CliError } from './flags.js';

export async function runTestServer(argv: readonly string[]): Promise<void> {
  const [portArg, ...rest] = argv;
  const port = Number(portArg);
  if (portArg === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`usage: duraflow-test-server <port> [--enable-time-skipping]; got port "${portArg ?? ''}"`);
  }
  const unknown = rest.filter((a) => a !== '--enable-time-skipping');
  for (const flag of unknown) process.stderr.write(`warning: ignoring unknown argument ${flag}\n`);
  const server = await DevServer.start({
    port,
    ip: '127.0.0.1',
    timeSkipping: { startLocked: !rest.includes('--enable-time-skipping') },
  });
  process.stdout.write(`duraflow test server (time skipping) listening on ${server.address}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => void server.stop().then(resolve, resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
