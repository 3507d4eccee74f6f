/**
 * Payload codecs on the worker's main thread: activations are decoded before they enter the sandbox
 * and completions encoded after they leave it, so codecs (which may be async, use crypto or keys)
 * never run inside workflow code. Search attributes are never run through codecs (the server reads
 * them), matching the official SDK.
 */
import {
  decodeFailure,
  decodePayloads,
  encodeFailure,
  encodePayloads,
  type Payload,
  type PayloadCodec,
  type ProtoFailure,
} from '../common/index.js';
import type { ActivationCompletion, WorkflowActivation } from '../workflow/runtime/protocol.js';

type Codec = (payloads: Payload[]) => Promise<Payload[]>;
type FailureCodec = (failure: ProtoFailure) => Promise<ProtoFailure>;

/** Where payloads live in jobs and commands, by field name. */
const PAYLOAD_LISTS = new Set(['arguments', 'input', 'args', 'lastCompletionResult']);
const SINGLE_PAYLOADS = new Set(['result', 'completed']);
const PAYLOAD_MAPS = new Set(['headers', 'memo', 'upsertedMemo']);
const FAILURES = new Set(['failure', 'continuedFailure', 'rejected', 'failed']);

/** Decodes every payload an activation carries; returns the activation itself when there are no codecs. */
export async function decodeActivation(codecs: readonly PayloadCodec[], activation: WorkflowActivation): Promise<WorkflowActivation> {
  if (codecs.length === 0) return activation;
  const jobs = await Promise.all(
    activation.jobs.map((job) => transformRecord(job, (p) => decodePayloads(codecs, p), (f) => decodeFailure(codecs, f))),
  );
  return { ...activation, jobs: jobs as WorkflowActivation['jobs'] };
}

/** Encodes every payload a completion carries; returns it unchanged when there are no codecs. */
export async function encodeCompletion(codecs: readonly PayloadCodec[], completion: ActivationCompletion): Promise<ActivationCompletion> {
  if (codecs.length === 0) return completion;
  const payloads: Codec = (p) => encodePayloads(codecs, p);
  const failures: FailureCodec = (f) => encodeFailure(codecs, f);
  if ('failed' in completion) {
    return { runId: completion.runId, failed: { failure: await failures(completion.failed.failure) } };
  }
  const commands = await Promise.all(completion.successful.commands.map((c) => transformRecord(c, payloads, failures)));
  return { runId: completion.runId, successful: { ...completion.successful, commands: commands as typeof completion.successful.commands } };
}

/** A shallow copy of a job or command with its payload-carrying fields transformed. */
async function transformRecord(record: object, payloads: Codec, failures: FailureCodec): Promise<object> {
  const out: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === null) continue;
    if (PAYLOAD_LISTS.has(key) && Array.isArray(value)) out[key] = await payloads(value as Payload[]);
    else if (SINGLE_PAYLOADS.has(key) && isPayload(value)) out[key] = (await payloads([value]))[0];
    else if (PAYLOAD_MAPS.has(key)) out[key] = await transformMap(value as Record<string, Payload>, payloads);
    else if (FAILURES.has(key) && typeof value === 'object') out[key] = await failures(value as ProtoFailure);
    else if (key === 'result' && typeof value === 'object') out[key] = await transformRecord(value, payloads, failures);
  }
  return out;
}

async function transformMap(map: Record<string, Payload>, payloads: Codec): Promise<Record<string, Payload>> {
  const keys = Object.keys(map);
  const values = await payloads(keys.map((k) => map[k] as Payload));
  return Object.fromEntries(keys.map((k, i) => [k, values[i] as Payload]));
}

function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && ('data' in value || 'metadata' in value) && !('status' in value);
}
