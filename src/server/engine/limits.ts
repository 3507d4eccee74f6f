/** Size limits Temporal enforces on blobs (payloads) in requests. */
import { invalidArgument } from '../errors.js';
import type { IMemo, IPayload, IPayloads } from './proto-types.js';

/** Temporal's default blob size limit: 2 MiB per payloads field. */
export const BLOB_SIZE_LIMIT_BYTES = 2 * 1024 * 1024;

function payloadSize(p: IPayload): number {
  let size = p.data?.length ?? 0;
  for (const v of Object.values(p.metadata ?? {})) size += v.length;
  return size;
}

/** Refuses a payloads field larger than the blob limit, naming the field. */
export function checkPayloadSizes(payloads: IPayloads | null | undefined, field: string): void {
  checkSize((payloads?.payloads ?? []).reduce((n, p) => n + payloadSize(p), 0), field);
}

/** Refuses a memo larger than the blob limit. */
export function checkMemoSize(memo: IMemo | null | undefined): void {
  checkSize(Object.values(memo?.fields ?? {}).reduce((n, p) => n + payloadSize(p), 0), 'memo');
}

function checkSize(size: number, field: string): void {
  if (size > BLOB_SIZE_LIMIT_BYTES) {
    throw invalidArgument(`Blob data size exceeds limit: ${field} is ${size} bytes, the limit is ${BLOB_SIZE_LIMIT_BYTES} bytes.`);
  }
}
