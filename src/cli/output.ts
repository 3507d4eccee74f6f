/**
 * Output of the client commands. `table` (the default; `text` is the same) is for people: aligned
 * columns for lists, key/value cards for single objects. `json` prints one JSON document per command
 * (lists as an array, as `temporal … -o json` does); `jsonl` prints lists one value per line.
 *
 * @example
 * ```ts
 * const printer = new Printer('table');
 * printer.table([{ WorkflowId: 'a', Status: 'Running' }], ['WorkflowId', 'Status']);
 * ```
 */

export const OUTPUT_FORMATS = ['table', 'text', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A date in RFC 3339 to the second, for tables (`2024-05-01T12:00:00Z`); '' for none. */
export function formatTime(date: Date | undefined): string {
  if (date === undefined || Number.isNaN(date.getTime())) return '';
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A copy of `value` that JSON.stringify can print: Dates as RFC 3339, bytes as base64, bigints as strings. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

/** How a value looks in a table cell or card: strings as they are, everything else as compact JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return formatTime(value);
  return JSON.stringify(toJsonValue(value)) ?? '';
}

/** Prints a command's results in the chosen format. */
export class Printer {
  private listOpen = false;
  private listCount = 0;

  constructor(
    readonly format: OutputFormat,
    private readonly write: (text: string) => void = (text) => void process.stdout.write(text),
  ) {}

  /** True for `json` and `jsonl`. */
  get json(): boolean {
    return this.format === 'json' || this.format === 'jsonl';
  }

  /** A line of text (table format only). */
  line(text = ''): void {
    if (!this.json) this.write(`${text}\n`);
  }

  /** One JSON document (`json`: indented; `jsonl`: one line). */
  document(value: unknown): void {
    const json = this.format === 'jsonl' ? JSON.stringify(toJsonValue(value)) : JSON.stringify(toJsonValue(value), null, 2);
    this.write(`${json}\n`);
  }

  /** Starts a JSON list: `json` prints an array as items arrive, `jsonl` one item per line. */
  startList(): void {
    this.listOpen = true;
    this.listCount = 0;
    if (this.format === 'json') this.write('[');
  }

  /** One item of the list started by {@link startList}. */
  listItem(value: unknown): void {
    if (!this.listOpen) throw new Error('listItem called outside startList/endList');
    if (this.format === 'jsonl') {
      this.write(`${JSON.stringify(toJsonValue(value))}\n`);
    } else {
      const body = JSON.stringify(toJsonValue(value), null, 2).replace(/\n/g, '\n  ');
      this.write(`${this.listCount > 0 ? ',' : ''}\n  ${body}`);
    }
    this.listCount++;
  }

  endList(): void {
    if (this.format === 'json') this.write(this.listCount > 0 ? '\n]\n' : ']\n');
    this.listOpen = false;
  }

  /** Rows as aligned columns with a header (table format). */
  table(rows: readonly Record<string, unknown>[], columns: readonly string[], options: { header?: boolean } = {}): void {
    const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
    const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]?.length ?? 0)));
    const format = (values: readonly string[]): string =>
      values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
    if (options.header !== false) this.line(`  ${format(columns)}`);
    for (const row of cells) this.line(`  ${format(row)}`);
  }

  /** Key/value pairs, keys aligned (table format); undefined and empty values are left out. */
  card(fields: Record<string, unknown>, indent = '  '): void {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
    const width = Math.max(0, ...entries.map(([k]) => k.length));
    for (const [key, value] of entries) this.line(`${indent}${key.padEnd(width)}  ${cellText(value)}`);
  }
}
