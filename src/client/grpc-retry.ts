/**
 * Automatic retries of gRPC calls that failed with a transient status, with exponential backoff and
 * jitter: the official Temporal client's defaults (10 attempts, factor 1.7, jitter 0.2, initial
 * 100 ms — 1 s for RESOURCE_EXHAUSTED — and at most 5 s between attempts).
 */
import { InterceptingCall, status, type Interceptor, type StatusObject } from '@grpc/grpc-js';

export interface GrpcRetryOptions {
  /** Milliseconds to wait before retry `attempt` (1-based). */
  delayFunction: (attempt: number, status: StatusObject) => number;
  /** Whether a failed attempt is retried. */
  retryableDecider: (attempt: number, status: StatusObject) => boolean;
}

/** The backoff formula: `factor ^ attempt * initialIntervalMs(status) * jitter(maxJitter)`, capped. */
export interface BackoffOptions {
  /** @default 1.7 */
  factor: number;
  /** @default 10 */
  maxAttempts: number;
  /** @default 0.2 */
  maxJitter: number;
  /** @default 1 s for RESOURCE_EXHAUSTED, 100 ms otherwise */
  initialIntervalMs(status: StatusObject): number;
  /** @default 5 s */
  maxIntervalMs(status: StatusObject): number;
}

const RETRYABLE = new Set<number>([
  status.UNKNOWN,
  status.RESOURCE_EXHAUSTED,
  status.UNAVAILABLE,
  status.ABORTED,
  status.DATA_LOSS,
  status.OUT_OF_RANGE,
]);

/** Transient statuses; INTERNAL only for the HTTP/2 stream resets that mean "try again". */
export function isRetryableError(s: StatusObject): boolean {
  if (RETRYABLE.has(s.code)) return true;
  return s.code === status.INTERNAL && /RST_STREAM with code [02]\b/.test(s.details ?? '');
}

/** The retry options the official client uses by default, optionally adjusted. */
export function defaultGrpcRetryOptions(options: Partial<BackoffOptions> = {}): GrpcRetryOptions {
  const o: BackoffOptions = {
    factor: 1.7,
    maxAttempts: 10,
    maxJitter: 0.2,
    initialIntervalMs: (s) => (s.code === status.RESOURCE_EXHAUSTED ? 1000 : 100),
    maxIntervalMs: () => 5000,
    ...options,
  };
  return {
    delayFunction: (attempt, s) => {
      const jitter = 1 + (Math.random() * 2 - 1) * o.maxJitter;
      return Math.min(o.factor ** attempt * o.initialIntervalMs(s) * jitter, o.maxIntervalMs(s));
    },
    retryableDecider: (attempt, s) => attempt < o.maxAttempts && isRetryableError(s),
  };
}

/**
 * A grpc-js interceptor that re-sends a unary call when it fails retryably. The request and its
 * metadata are kept and replayed on a fresh call after the backoff.
 */
export function makeGrpcRetryInterceptor(retry: GrpcRetryOptions): Interceptor {
  return (options, nextCall) => {
    let savedMetadata: Parameters<InterceptingCall['start']>[0];
    let savedMessage: unknown;
    let attempt = 1;
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        savedMetadata = metadata;
        /** A failed attempt is retried after its backoff, or its status is passed on. */
        const onStatus = (s: StatusObject, forward: (s: StatusObject) => void): void => {
          if (s.code === status.OK || !retry.retryableDecider(attempt, s)) {
            forward(s);
            return;
          }
          const delay = retry.delayFunction(attempt, s);
          attempt++;
          setTimeout(resend, delay);
        };
        const resend = (): void => {
          const call = nextCall(options);
          call.start(savedMetadata.clone(), {
            onReceiveMessage: (m: unknown) => listener.onReceiveMessage(m),
            onReceiveStatus: (s: StatusObject) => onStatus(s, (x) => listener.onReceiveStatus(x)),
          });
          call.sendMessage(savedMessage);
          call.halfClose();
        };
        next(metadata, {
          onReceiveStatus: (s: StatusObject, nextStatus: (s: StatusObject) => void) => onStatus(s, nextStatus),
        });
      },
      sendMessage(message, next) {
        savedMessage = message;
        next(message);
      },
    });
  };
}
