/**
 * Payloads on the command line: `--input` / `--input-file` JSON values in, and ProtoJSON out with
 * `json/plain` payloads shown as their JSON value (the `temporal` CLI's "payload shorthand").
 *
 * @example
 * ```ts
 * const args = readInputs(parsed);           // --input '{"a":1}' --input 2 → [{ a: 1 }, 2]
 * const json = protoJson(HistoryEvent, event, { shorthand: true });
 * ```
 */
import { readFileSync } from 'node:fs';
import { messageToProtoJson, type ReflectedType } from '../common/index.js';
import type { CommandArgs, FlagDefs } from './command.js';
import { CliError } from './flags.js';

/** `--input`, `--input-file`: the arguments of a workflow, signal, query or update. */
export const INPUT_FLAGS: FlagDefs = {
  input: { kind: 'list', short: 'i', arg: 'JSON', description: 'An argument, as JSON' },
  'input-file': { kind: 'list', arg: 'FILE', description: 'A file holding one argument as JSON' },
};

/** Parses a flag's JSON value, naming the flag when it is not JSON. */
export function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`--${flag} must be JSON: ${(error as Error).message} in ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}`);
  }
}

/** The arguments given with `--input` (each JSON) or `--input-file` (each a JSON file); not both. */
export function readInputs(args: CommandArgs): unknown[] {
  const inputs = args.lists.input ?? [];
  const files = args.lists['input-file'] ?? [];
  if (inputs.length > 0 && files.length > 0) throw new CliError('--input and --input-file cannot be combined');
  if (inputs.length > 0) return inputs.map((text) => parseJson(text, 'input'));
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`--input-file: cannot read ${file}: ${(error as Error).message}`);
    }
    return parseJson(text, 'input-file');
  });
}

/** `KEY=JSON` pairs (`--memo`, `--search-attribute`) as an object. */
export function readKeyValues(entries: readonly string[] | undefined, flag: string): Record<string, unknown> | undefined {
  if (!entries || entries.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new CliError(`--${flag} must be KEY=JSON, got "${entry}"`);
    out[entry.slice(0, eq)] = parseJson(entry.slice(eq + 1), flag);
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function base64Text(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

/** A ProtoJSON Payload as a display value: json/plain → its value, binary/null → null, otherwise unchanged. */
export function payloadValue(payload: Record<string, unknown>): unknown {
  const metadata = isRecord(payload['metadata']) ? payload['metadata'] : {};
  const encoding = base64Text(metadata['encoding']);
  if (encoding === 'binary/null') return null;
  if (encoding !== 'json/plain') return payload;
  const text = base64Text(payload['data']) ?? '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return payload;
  }
}

function isPayload(v: unknown): v is Record<string, unknown> {
  if (!isRecord(v) || !isRecord(v['metadata']) || typeof v['metadata']['encoding'] !== 'string') return false;
  return Object.keys(v).every((k) => k === 'metadata' || k === 'data' || k === 'externalPayloads');
}

/** Replaces every Payload in ProtoJSON by its value, and every Payloads message by the array of values. */
export function shorthandPayloads(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(shorthandPayloads);
  if (!isRecord(json)) return json;
  if (isPayload(json)) return payloadValue(json);
  const keys = Object.keys(json);
  const list: unknown = json['payloads'];
  if (keys.length === 1 && Array.isArray(list) && list.every(isPayload)) return list.map((p: Record<string, unknown>) => payloadValue(p));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) out[k] = shorthandPayloads(v);
  return out;
}

/**
 * A protobuf message as ProtoJSON (camelCase fields, enums by name, int64 as strings), optionally
 * with payloads shown as values.
 */
export function protoJson(type: unknown, message: object | null | undefined, options: { shorthand: boolean }): unknown {
  const json = messageToProtoJson(type as ReflectedType, message ?? {});
  return options.shorthand ? shorthandPayloads(json) : json;
}
