import { root as protoRoot } from './root.js';

const StatusType = protoRoot.lookupType('google.rpc.Status');

/** One detail message of a gRPC error: its full proto type name and its fields. */
export interface StatusDetail {
  readonly typeName: string;
  readonly value: Record<string, unknown>;
}

/**
 * Encodes a google.rpc.Status for the `grpc-status-details-bin` trailer, as Temporal servers send it
 * (details are `Any` with `type.googleapis.com/<type>` URLs).
 */
export function encodeStatusDetails(code: number, message: string, details: readonly StatusDetail[]): Buffer {
  const anys = details.map(toAny);
  return Buffer.from(StatusType.encode(StatusType.fromObject({ code, message, details: anys })).finish());
}

/** A detail message as a google.protobuf.Any. */
export function toAny(detail: StatusDetail): { type_url: string; value: Uint8Array } {
  const type = protoRoot.lookupType(detail.typeName);
  return { type_url: `type.googleapis.com/${detail.typeName}`, value: type.encode(type.fromObject(detail.value)).finish() };
}

/** Decodes `grpc-status-details-bin` into its detail messages (unknown types are skipped). */
export function decodeStatusDetails(bytes: Uint8Array): { code: number; message: string; details: StatusDetail[] } {
  const status = StatusType.decode(bytes) as unknown as {
    code: number;
    message: string;
    details: { type_url: string; value: Uint8Array }[];
  };
  const details: StatusDetail[] = [];
  for (const any of status.details ?? []) {
    const url = any.type_url;
    const typeName = url.slice(url.lastIndexOf('/') + 1);
    try {
      const type = protoRoot.lookupType(typeName);
      details.push({ typeName, value: type.decode(any.value) as unknown as Record<string, unknown> });
    } catch {
      // A detail type we do not know: skip it rather than fail the whole error.
    }
  }
  return { code: status.code, message: status.message, details };
}
