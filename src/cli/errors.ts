/**
 * How the CLI reports a failed command: one line on stderr (`Error: workflow not found: order-1`)
 * and an exit code: 2 for a command-line mistake ({@link CliError}), 1 for anything else.
 *
 * @example
 * ```ts
 * process.stderr.write(`Error: ${errorLine(error)}\n`);
 * process.exit(exitCode(error));
 * ```
 */
import {
  ConnectionError,
  NamespaceNotFoundError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowNotFoundError,
} from '../client/index.js';
import { CliError } from './flags.js';

/** The workflow closed without completing (`result`, `execute`): its outcome was printed already. */
export class WorkflowOutcomeError extends Error {
  override readonly name = 'WorkflowOutcomeError';
}

/** The connection error's hints, with the client's option names replaced by the CLI's flags. */
function connectionHint(text: string): string {
  return text
    .replace('check tls.serverRootCACertificate and tls.serverNameOverride', 'check --tls-ca-path and --tls-server-name')
    .replace('set tls.clientCertPair)', 'use --tls-cert-path and --tls-key-path)')
    .replace('set tls)', 'use --tls)');
}

function message(error: unknown): string {
  if (error instanceof WorkflowNotFoundError) {
    return `workflow not found: ${error.workflowId}${error.runId ? ` (run ${error.runId})` : ''}`;
  }
  if (error instanceof ScheduleNotFoundError) return `schedule not found: ${error.scheduleId}`;
  if (error instanceof ScheduleAlreadyRunning) return `schedule already exists: ${error.scheduleId}`;
  if (error instanceof NamespaceNotFoundError) return `namespace not found: ${error.namespace}`;
  if (error instanceof ConnectionError) return connectionHint(error.message);
  if (!(error instanceof Error)) return String(error);
  let text = error.message;
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const own = cause.message.replace(/^\d+ [A-Z_]+: /, ''); // a grpc-js message repeats the status
    if (own && !text.includes(own)) text += `: ${cause.message}`;
  }
  return text;
}

/** The error as one line of text (newlines folded into spaces). */
export function errorLine(error: unknown): string {
  return message(error).replace(/\s*\n\s*/g, ' ').trim();
}

/** 2 for usage errors, 1 otherwise. */
export function exitCode(error: unknown): number {
  return error instanceof CliError ? 2 : 1;
}
