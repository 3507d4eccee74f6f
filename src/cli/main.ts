/** The `duraflow` command line. */
import { CliError } from './flags.js';

const USAGE = `Usage: duraflow <command>

Commands:
  workflow <command> [flags] Start, list and operate on workflow executions:
                             start | execute | list | count | describe | show | signal | query |
                             update | cancel | terminate | delete | reset | result
                             (cancel, terminate, signal, delete --query Q: a batch over Q)
  schedule <command> [flags] Create and operate on schedules:
                             create | list | describe | pause | unpause | trigger | backfill | delete
      Common flags of workflow and schedule commands:
      --address HOST:PORT      server (env TEMPORAL_ADDRESS; default localhost:7233)
      --namespace, -n NAME     namespace (env TEMPORAL_NAMESPACE; default "default")
      --tls, --tls-cert-path F, --tls-key-path F, --tls-ca-path F, --tls-server-name NAME
      --api-key KEY            bearer token (env TEMPORAL_API_KEY; turns TLS on unless --tls=false)
      --output, -o FORMAT      table (default) | json | jsonl
  batch describe | list | terminate
                             Follow and stop batch operations
  activity pause | unpause | reset
                             Hold, release or restart a workflow's pending activities
  task-queue describe --task-queue NAME
                             The workers polling a task queue, its backlog and task rates
  server start-dev [flags]   Run the embedded Temporal dev server (in memory, or --db-filename FILE)
  replay <history files or folders...> --workflows PATH [-o json]
                             Replay recorded histories against workflow code; exit 1 if any fails
  test-server <port> [--enable-time-skipping]
                             Run the time-skipping test server (also: duraflow-test-server)

Run "duraflow <command> --help" for the commands and flags of a group.
`;

async function main(argv: string[]): Promise<void> {
  // Errors are reported as one line; Node's deprecation notices (grpc-js's TLS servername for IP
  // addresses) would add more.
  process.noDeprecation = true;
  const [command, sub, ...rest] = argv;
  if (command === 'server' && (sub === 'start-dev' || sub === undefined || sub === '--help' || sub === '-h')) {
    const { startDev } = await import('./start-dev.js');
    return startDev(sub === 'start-dev' ? rest : ['--help']);
  }
  if (command === 'replay') {
    const { runReplay } = await import('./replay.js');
    return runReplay(argv.slice(1));
  }
  if (command === 'test-server') {
    const { runTestServer } = await import('./test-server.js');
    return runTestServer(argv.slice(1));
  }
  const group = await commandGroup(command);
  if (group) {
    const { runGroup } = await import('./command.js');
    return runGroup(group, argv.slice(1));
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  throw new CliError(`unknown command "${[command, sub].filter(Boolean).join(' ')}"; run "duraflow help"`);
}

/** The client command group named `command`, loaded on demand. */
async function commandGroup(command: string | undefined) {
  if (command === 'workflow') return (await import('./workflow-group.js')).WORKFLOW_GROUP;
  if (command === 'schedule') return (await import('./schedule-group.js')).SCHEDULE_GROUP;
  if (command === 'task-queue') return (await import('./task-queue-group.js')).TASK_QUEUE_GROUP;
  if (command === 'batch') return (await import('./batch-commands.js')).BATCH_GROUP;
  if (command === 'activity') return (await import('./activity-group.js')).ACTIVITY_GROUP;
  return undefined;
}

/** Exits once stdout has been flushed (pipes may be asynchronous). */
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

async function report(error: unknown): Promise<number> {
  const { errorLine, exitCode } = await import('./errors.js').catch(() => ({
    errorLine: (e: unknown) => (e instanceof Error ? e.message : String(e)),
    exitCode: (e: unknown) => (e instanceof CliError ? 2 : 1),
  }));
  process.stderr.write(`Error: ${errorLine(error)}\n`);
  return exitCode(error);
}

main(process.argv.slice(2)).then(
  () => exit(0),
  (error: unknown) => report(error).then(exit),
);
