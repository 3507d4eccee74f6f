/**
 * Histories for replay, from the JSON that Temporal tools write (`temporal workflow show -o json`,
 * the Web UI's download, `historyToJSON`) — in the current `EVENT_TYPE_*` spelling or the older one
 * with PascalCase enum values (`"WorkflowExecutionStarted"`, `"kind": "Normal"`) — or from the binary
 * `temporal.api.history.v1.History` protobuf.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const history = historyFromJSON(JSON.parse(await readFile('history.json', 'utf8')));
 * await Worker.runReplayHistory({ workflowsPath }, history);
 * ```
 * @module
 */
import { messageFromProtoJson } from '../../common/protobuf-json-read.js';
import type { ReflectedType } from '../../common/protobuf-reflection.js';
import { ValueError } from '../../common/index.js';
import { temporal, type ProtoTypes } from '../../proto/index.js';

type History = ProtoTypes.temporal.api.history.v1.History;

interface ReflectionField {
  name: string;
  jsonName?: string;
  repeated?: boolean;
  map?: boolean;
  resolvedType?: unknown;
  resolve(): ReflectionField;
}
interface ReflectionType {
  fullName: string;
  fieldsArray: ReflectionField[];
}
interface ReflectionEnum {
  values: Record<string, number>;
}

const HistoryType = temporal.api.history.v1.History;
const EventTypeReflection = temporal.api.history.v1.HistoryEvent as unknown as ReflectionType & ReflectedType;
const prefixCache = new WeakMap<object, string>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEnum = (t: unknown): t is ReflectionEnum => isRecord(t) && isRecord(t['values']) && !('fieldsArray' in t);
const isMessage = (t: unknown): t is ReflectionType => isRecord(t) && Array.isArray(t['fieldsArray']);

/** The prefix every value name of an enum shares (`TASK_QUEUE_KIND_`). */
function enumPrefix(e: ReflectionEnum): string {
  let prefix = prefixCache.get(e);
  if (prefix !== undefined) return prefix;
  const names = Object.keys(e.values);
  prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.slice(0, prefix.lastIndexOf('_') + 1);
  prefixCache.set(e, prefix);
  return prefix;
}

/** `WorkflowExecutionStarted` → `WORKFLOW_EXECUTION_STARTED`. */
function constantCase(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toUpperCase();
}

/** An enum value in the old PascalCase spelling, rewritten to its constant name (others unchanged). */
function modernEnumValue(e: ReflectionEnum, value: unknown): unknown {
  if (typeof value !== 'string' || value in e.values) return value;
  const candidate = `${enumPrefix(e)}${constantCase(value)}`;
  return candidate in e.values ? candidate : value;
}

const WELL_KNOWN_PREFIX = '.google.protobuf.';

/** A copy of a JSON message with every legacy-spelled enum value modernized, following the message type. */
function modernize(type: ReflectionType, json: unknown, depth = 0): unknown {
  if (!isRecord(json) || type.fullName.startsWith(WELL_KNOWN_PREFIX) || depth > 100) return json;
  const out: Record<string, unknown> = {};
  const fields = new Map<string, ReflectionField>();
  for (const raw of type.fieldsArray) {
    const field = raw.resolve();
    fields.set(field.name, field);
    if (field.jsonName) fields.set(field.jsonName, field);
  }
  for (const [key, value] of Object.entries(json)) {
    const field = fields.get(key);
    const target = field?.resolvedType;
    const convert = (v: unknown): unknown => (isEnum(target) ? modernEnumValue(target, v) : isMessage(target) ? modernize(target, v, depth + 1) : v);
    if (!field || value === null) out[key] = value;
    else if (field.map && isRecord(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    else if (field.repeated && Array.isArray(value)) out[key] = value.map(convert);
    else out[key] = convert(value);
  }
  return out;
}

/** Re-encodes so that every nested message is a protobufjs message instance with Long int64s. */
function normalized(history: object): History {
  return HistoryType.decode(HistoryType.encode(history).finish());
}

/**
 * A History from its JSON form (an object, or the JSON text). Accepts both event-type spellings,
 * int64 values as strings or numbers, bytes as base64, durations as `"10s"` and timestamps as RFC 3339.
 *
 * @throws ValueError naming the event (by index and id) that cannot be read
 * @example
 * ```ts
 * const history = historyFromJSON({ events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', ... }] });
 * ```
 */
export function historyFromJSON(json: unknown): History {
  const value = typeof json === 'string' ? parseJsonText(json) : json;
  if (!isRecord(value) || !Array.isArray(value['events'])) {
    throw new ValueError('Invalid history: expected an object with an "events" array');
  }
  const events = (value['events'] as unknown[]).map((event, index) => eventFromJSON(event, index));
  return normalized(HistoryType.create({ events: events as ProtoTypes.temporal.api.history.v1.IHistoryEvent[] }));
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValueError(`Invalid history: not JSON (${(error as Error).message})`, error);
  }
}

function eventFromJSON(event: unknown, index: number): object {
  const id = isRecord(event) ? event['eventId'] : undefined;
  const where = `history event #${index}${id !== undefined ? ` (eventId ${String(id)})` : ''}`;
  if (!isRecord(event)) throw new ValueError(`Invalid ${where}: expected an object`);
  if (!Object.keys(event).some((k) => k.endsWith('EventAttributes') || k.endsWith('_event_attributes'))) {
    throw new ValueError(`Invalid ${where}: it has no *EventAttributes`);
  }
  try {
    return messageFromProtoJson(EventTypeReflection, modernize(EventTypeReflection, event), { ignoreUnknownFields: true });
  } catch (error) {
    throw new ValueError(`Invalid ${where}: ${(error as Error).message}`, error);
  }
}

/**
 * A History from its binary protobuf encoding.
 *
 * @throws ValueError when the bytes are not a History message
 * @example
 * ```ts
 * const history = historyFromBinary(await readFile('history.bin'));
 * ```
 */
export function historyFromBinary(bytes: Uint8Array): History {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`historyFromBinary expects a Uint8Array, got ${typeof bytes}`);
  try {
    return HistoryType.decode(bytes);
  } catch (error) {
    throw new ValueError(`Invalid binary history: ${(error as Error).message}`, error);
  }
}
