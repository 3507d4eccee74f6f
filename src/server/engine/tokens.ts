/**
 * Task tokens: opaque to workers and clients, JSON inside. They carry the attempt, so a completion
 * for a stale attempt is recognised and answered NOT_FOUND.
 */
import { invalidArgument } from '../errors.js';

export interface WorkflowTaskToken {
  readonly k: 'w';
  readonly ns: string;
  readonly wid: string;
  readonly rid: string;
  /** scheduled event id */
  readonly s: number;
  /** started event id */
  readonly t: number;
  readonly a: number;
}

export interface ActivityTaskToken {
  readonly k: 'a';
  readonly ns: string;
  readonly wid: string;
  readonly rid: string;
  readonly aid: string;
  readonly s: number;
  readonly a: number;
}

export interface QueryTaskToken {
  readonly k: 'q';
  readonly ns: string;
  readonly q: string;
}

export type TaskToken = WorkflowTaskToken | ActivityTaskToken | QueryTaskToken;

export function encodeToken(token: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(token), 'utf8');
}

/** Decodes a token of the expected kind, or fails with INVALID_ARGUMENT. */
export function decodeToken<K extends TaskToken['k']>(
  bytes: Uint8Array | null | undefined,
  kind: K,
): Extract<TaskToken, { k: K }> {
  if (!bytes || bytes.length === 0) throw invalidArgument('Task token not set on request.');
  let token: unknown;
  try {
    token = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalidArgument('Error deserializing task token: not a token issued by this server.');
  }
  if (typeof token !== 'object' || token === null || (token as { k?: unknown }).k !== kind) {
    throw invalidArgument('Error deserializing task token: wrong kind of task token for this call.');
  }
  return token as Extract<TaskToken, { k: K }>;
}
