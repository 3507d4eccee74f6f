/** Size limits Temporal enforces on blobs (payloads) in requests. */
import { invalidArgument } from '../errors.js';
import type { IPayloads } from './proto-types.js';

/** Temporal's default blob size limit: 2 MiB per payloads field. */
export const BLOB_SIZE_LIMIT_BYTES = 2 * 1024 * 1024;

/** Refuses a payloads field larger than the blob limit, naming the field. */
export function checkPayloadSizes(payloads: IPayloads | null | undefined, field: string): void {
  let size = 0;
  for (const p of payloads?.payloads ?? []) {
    size += p.data?.length ?? 0;
    for (const v of Object.values(p.metadata ?? {})) size += v.length;
  }
  if (size > BLOB_SIZE_LIMIT_BYTES) {
    throw invalidArgument(`Blob data size exceeds limit: ${field} is ${size} bytes, the limit is ${BLOB_SIZE_LIMIT_BYTES} bytes.`);
  }
}
