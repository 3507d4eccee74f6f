import { Metadata, status, type ServerUnaryCall, type sendUnaryData, type ServiceError } from '@grpc/grpc-js';
import { encodeStatusDetails } from '../../proto/index.js';
import { RpcError } from '../errors.js';
import type { Logger } from '../logger.js';
import { InvalidSearchAttributeValueError, InvalidVisibilityQueryError } from '../visibility/index.js';

/** What a handler knows about its call beyond the request. */
export interface CallContext {
  /** Wall-clock deadline in epoch ms (Infinity when the caller set none). */
  readonly deadline: number;
  /** Aborted when the caller cancels or disconnects. */
  readonly signal: AbortSignal;
  readonly metadata: Metadata;
}

export type Handler = (request: never, ctx: CallContext) => unknown;

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): number {
  const d = call.getDeadline();
  if (d instanceof Date) return d.getTime();
  return typeof d === 'number' && Number.isFinite(d) ? d : Number.POSITIVE_INFINITY;
}

/** Maps anything a handler throws to the gRPC error a Temporal server would send. */
export function toServiceError(error: unknown, method: string, log: Logger): Partial<ServiceError> {
  let rpc: RpcError;
  if (error instanceof RpcError) rpc = error;
  else if (error instanceof InvalidVisibilityQueryError || error instanceof InvalidSearchAttributeValueError) {
    rpc = new RpcError(status.INVALID_ARGUMENT, error.message);
  } else {
    log.error(`${method} failed with an unexpected error`, error);
    rpc = new RpcError(status.INTERNAL, `internal error in ${method}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const message = wellFormed(rpc.message);
  const metadata = new Metadata();
  if (rpc.details.length > 0) {
    metadata.set('grpc-status-details-bin', encodeStatusDetails(rpc.code, message, rpc.details));
  }
  return { code: rpc.code, details: message, message, metadata };
}

/** Unpaired UTF-16 surrogates in an error message, which grpc-js cannot put in a header. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` with every unpaired surrogate replaced by U+FFFD. Messages quote request strings, which
 * can hold them (protobuf decoding lets malformed UTF-8 through); grpc-js percent-encodes the
 * status message with `encodeURI`, which throws on them, and that throw would end the process.
 */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Checks `authorization: Bearer <key>` when the server has an API key. */
function checkApiKey(metadata: Metadata, apiKey: string | undefined): void {
  if (apiKey === undefined) return;
  const header = metadata.get('authorization')[0];
  if (header !== `Bearer ${apiKey}`) {
    throw new RpcError(
      status.UNAUTHENTICATED,
      header === undefined ? 'missing API key: send the "authorization: Bearer <key>" header' : 'invalid API key',
    );
  }
}

/**
 * A call's cancellation, with its AbortSignal made only when a handler asks for it (long polls do;
 * most handlers never look). A controller per call, and the DOMException `abort()` creates when grpc
 * reports a finished call as cancelled, cost more than many handlers.
 */
class CallCancellation {
  private controller: AbortController | undefined;
  private cancelled = false;

  readonly cancel = (): void => {
    this.cancelled = true;
    this.controller?.abort();
  };

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort();
    }
    return this.controller.signal;
  }
}

/** Told every RPC's method, duration (ms) and gRPC status code (0 = OK), for metrics. */
export type RpcObserver = (method: string, ms: number, code: number) => void;

/** Adapts an async handler to grpc-js's unary call signature. */
export function unary(method: string, handler: Handler, log: Logger, apiKey?: string, observe?: RpcObserver) {
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
    const started = performance.now();
    const cancellation = new CallCancellation();
    call.on('cancelled', cancellation.cancel);
    const ctx: CallContext = {
      deadline: deadlineOf(call),
      get signal() {
        return cancellation.signal;
      },
      metadata: call.metadata,
    };
    const settle = (): void => void call.removeListener('cancelled', cancellation.cancel);
    Promise.resolve()
      .then(() => checkApiKey(call.metadata, apiKey))
      .then(() => (handler as (r: unknown, c: CallContext) => unknown)(call.request, ctx))
      .then(
        (response) => {
          settle();
          observe?.(method, performance.now() - started, 0);
          callback(null, response ?? {});
        },
        (error: unknown) => {
          settle();
          const serviceError = toServiceError(error, method, log);
          observe?.(method, performance.now() - started, serviceError.code ?? status.UNKNOWN);
          callback(serviceError);
        },
      );
  };
}
