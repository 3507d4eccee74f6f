/**
 * The standard gRPC health service (grpc.health.v1.Health), as Temporal's frontend serves it: the
 * server as a whole ("") and each of its API services answer SERVING until the server stops;
 * other names are unknown. What `temporal operator cluster health`, the SDKs' `healthService` and
 * load-balancer probes ask.
 *
 * @module
 */
import { status, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { grpc } from '../../proto/index.js';

const { ServingStatus } = grpc.health.v1.HealthCheckResponse;

/**
 * Health of one dev server.
 *
 * @example
 * ```ts
 * const health = new HealthService(['temporal.api.workflowservice.v1.WorkflowService']);
 * server.addService(healthServiceDefinition, health.handlers());
 * health.shutdown(); // NOT_SERVING, and open Watch streams end
 * ```
 */
export class HealthService {
  private serving = true;
  private readonly watchers = new Set<ServerWritableStream<unknown, unknown>>();
  private readonly known: ReadonlySet<string>;

  constructor(services: readonly string[]) {
    this.known = new Set(['', ...services]);
  }

  /** grpc-js handlers for `Check` and `Watch`. */
  handlers() {
    return {
      Check: (call: ServerUnaryCall<{ service?: string }, unknown>, callback: sendUnaryData<unknown>): void => {
        const service = call.request.service ?? '';
        if (!this.known.has(service)) callback({ code: status.NOT_FOUND, details: `unknown service ${service}` });
        else callback(null, { status: this.status() });
      },
      Watch: (call: ServerWritableStream<{ service?: string }, unknown>): void => {
        const service = call.request.service ?? '';
        call.write({ status: this.known.has(service) ? this.status() : ServingStatus.SERVICE_UNKNOWN });
        if (!this.serving) return void call.end();
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }

  /** The server is stopping: NOT_SERVING from now on; Watch streams hear it and end. */
  shutdown(): void {
    this.serving = false;
    for (const call of this.watchers) {
      call.write({ status: ServingStatus.NOT_SERVING });
      call.end();
    }
    this.watchers.clear();
  }

  private status(): number {
    return this.serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }
}
