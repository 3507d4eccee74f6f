/**
 * {@link Runtime}: process-wide telemetry settings, as in the official SDK's
 * `Runtime.install({ telemetryOptions: { metrics } })`. Workers (and their connections) record
 * their metrics on the installed runtime's meter; activities and workflows reach it through
 * `metricMeter`.
 *
 * @module
 */
import { IllegalStateError } from '../../common/errors.js';
import { DefaultLogger, type Logger } from '../../common/logger.js';
import type { MetricMeter } from '../../common/metrics.js';
import type { TemporalMeter } from '../../common/temporal-meter.js';
import { compileTelemetryOptions, type CompiledTelemetry, type TelemetryOptions } from './telemetry-options.js';

/** Options of {@link Runtime.install}. */
export interface RuntimeOptions {
  /** Metrics (and, later, other telemetry) of every worker and connection of the process. */
  telemetryOptions?: TelemetryOptions;
  /** The default logger of workers that are not given one. @default a console logger at INFO */
  logger?: Logger;
}

let installed: Runtime | undefined;

/**
 * The process's telemetry. Install it once, before creating workers; without it, nothing is
 * recorded.
 *
 * @example
 * ```ts
 * import { Runtime } from 'duraflow/worker';
 * Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: '0.0.0.0:9464' } } } });
 * // curl http://localhost:9464/metrics → temporal_workflow_completed{...} 3
 * ```
 */
export class Runtime {
  readonly logger: Logger;
  private readonly telemetry: CompiledTelemetry;
  private stopped = false;

  private constructor(options: RuntimeOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('Runtime options must be an object');
    this.telemetry = compileTelemetryOptions(options.telemetryOptions);
    this.logger = options.logger ?? new DefaultLogger('INFO');
  }

  /**
   * Creates the process's runtime. Call it before anything uses {@link Runtime.instance}.
   *
   * @throws IllegalStateError when a runtime is already in use (shut it down first)
   */
  static install(options: RuntimeOptions): Runtime {
    if (installed !== undefined) {
      throw new IllegalStateError('A Runtime is already installed (Runtime.install must come before workers are created; shut the current one down to replace it)');
    }
    installed = new Runtime(options);
    return installed;
  }

  /** The installed runtime, or a default one (no metrics) installed now. */
  static instance(): Runtime {
    installed ??= new Runtime({});
    return installed;
  }

  /** The meter for custom metrics: not prefixed, tagged with `service_name` (and the global tags). */
  get metricMeter(): MetricMeter {
    return this.telemetry.metricMeter;
  }

  /** The meter workers and connections record the SDK's metrics on (`temporal_` names). */
  get temporalMeter(): TemporalMeter {
    return this.telemetry.temporalMeter;
  }

  /** Resolves once the metrics exporter is ready (the Prometheus endpoint listens). */
  get ready(): Promise<void> {
    return this.telemetry.ready;
  }

  /** `host:port` of the Prometheus endpoint (after {@link ready}), if one is configured. */
  get prometheusAddress(): string | undefined {
    return this.telemetry.prometheus?.address;
  }

  /** Stops the exporters; {@link Runtime.instance} then creates a fresh runtime. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (installed === this) installed = undefined;
    await this.telemetry.prometheus?.close();
  }
}
