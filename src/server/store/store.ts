import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { longToNumber, temporal } from '../../proto/index.js';
import { META_SQL, MIGRATIONS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import type { IHistoryEvent, HistoryEventMessage } from '../engine/proto-types.js';

const HistoryEvent = temporal.api.history.v1.HistoryEvent;

/** What a task row points at: a workflow task or an activity task of a run. */
export const TaskKind = { Workflow: 1, Activity: 2 } as const;
export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

export interface TaskRow {
  readonly id: number;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly kind: TaskKind;
  readonly runId: string;
  /** The scheduled event id of the workflow task or activity. */
  readonly ref: number;
  readonly attempt: number;
  /** The priority key it is dispatched by: 1 first … 5 last. */
  readonly priority: number;
  /** Its fairness pass: within a priority, lower passes are dispatched first (see fairness-passes.ts). */
  readonly pass: number;
}

export interface TimerRow {
  readonly id: number;
  readonly fireAt: number;
  readonly namespace: string;
  readonly runId: string;
  readonly kind: string;
  readonly data: Record<string, unknown>;
}

export interface NamespaceRow {
  readonly name: string;
  readonly id: string;
  readonly description: string;
  readonly ownerEmail: string;
  readonly retentionMs: number;
  readonly data: Record<string, string>;
}

export interface VisibilityRow {
  namespace: string;
  run_id: string;
  workflow_id: string;
  workflow_type: string;
  task_queue: string;
  status: number;
  start_time: number;
  execution_time: number;
  close_time: number | null;
  execution_duration: number | null;
  history_length: number;
  history_size_bytes: number;
  parent_workflow_id: string | null;
  parent_run_id: string | null;
  root_workflow_id: string | null;
  root_run_id: string | null;
  search_attributes: string;
  memo: Buffer | null;
}

/** Stored events, still encoded, and the id of the last. */
export interface EncodedEvents {
  readonly events: Buffer[];
  readonly lastEventId: number;
}

/**
 * The dev server's persistence: one SQLite database (in memory or a file), WAL mode. All writes of
 * one RPC go through {@link Store.transaction}, so they commit together or not at all.
 */
export class Store {
  readonly db: Database.Database;
  private readonly stmts;
  /** `fn()` inside BEGIN IMMEDIATE … COMMIT (a savepoint when nested): built once, as better-sqlite3 builds four wrappers per `db.transaction()`. */
  private readonly immediate: <T>(fn: () => T) => T;
  private readonly saCache = new Map<string, ReadonlyMap<string, string>>();
  /** Namespaces by name as read (every RPC names one; rows only ever get inserted). Cleared on rollback. */
  private readonly nsCache = new Map<string, NamespaceRow>();

  constructor(filename: string) {
    this.db = new Database(filename);
    if (filename !== ':memory:') {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('foreign_keys = OFF');
    this.migrate();
    this.stmts = this.prepare();
    this.immediate = this.db.transaction((fn: () => unknown) => fn()).immediate as <T>(fn: () => T) => T;
  }

  /**
   * Brings the database to {@link SCHEMA_VERSION}: a new one is created at it; an older one is
   * migrated step by step, with the tables, in one transaction; a newer one is refused.
   */
  private migrate(): void {
    this.db.exec(META_SQL);
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined;
    const from = row === undefined ? SCHEMA_VERSION : Number(row.value);
    if (!Number.isInteger(from) || from < 1 || from > SCHEMA_VERSION) {
      throw new Error(`database schema version ${row?.value} is not supported (expected ${SCHEMA_VERSION} or older)`);
    }
    this.db.transaction(() => {
      for (let version = from; version < SCHEMA_VERSION; version++) this.db.exec(MIGRATIONS[version - 1]!);
      this.db.exec(SCHEMA_SQL);
      this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
    }).immediate();
  }

  private prepare() {
    const db = this.db;
    return {
      nsGet: db.prepare(`SELECT * FROM namespaces WHERE name = ?`),
      nsGetById: db.prepare(`SELECT * FROM namespaces WHERE id = ?`),
      nsList: db.prepare(`SELECT * FROM namespaces ORDER BY name`),
      nsInsert: db.prepare(
        `INSERT INTO namespaces (name, id, description, owner_email, retention_ms, data) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      nsUpdate: db.prepare(`UPDATE namespaces SET description = ?, owner_email = ?, retention_ms = ?, data = ? WHERE name = ?`),
      execGet: db.prepare(`SELECT state FROM executions WHERE namespace = ? AND run_id = ?`),
      execPut: db.prepare(
        `INSERT INTO executions (namespace, run_id, workflow_id, state) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, run_id) DO UPDATE SET state = excluded.state`,
      ),
      currentGet: db.prepare(`SELECT run_id FROM current_executions WHERE namespace = ? AND workflow_id = ?`),
      execDelete: db.prepare(`DELETE FROM executions WHERE namespace = ? AND run_id = ?`),
      currentDelete: db.prepare(`DELETE FROM current_executions WHERE namespace = ? AND workflow_id = ? AND run_id = ?`),
      histDelete: db.prepare(`DELETE FROM history WHERE namespace = ? AND run_id = ?`),
      visClosedBefore: db.prepare(
        `SELECT run_id AS runId, workflow_id AS workflowId FROM visibility
         WHERE namespace = ? AND close_time IS NOT NULL AND close_time < ? ORDER BY close_time LIMIT ?`,
      ),
      visDelete: db.prepare(`DELETE FROM visibility WHERE namespace = ? AND run_id = ?`),
      currentPut: db.prepare(
        `INSERT INTO current_executions (namespace, workflow_id, run_id) VALUES (?, ?, ?)
         ON CONFLICT (namespace, workflow_id) DO UPDATE SET run_id = excluded.run_id`,
      ),
      histInsert: db.prepare(`INSERT INTO history (namespace, run_id, event_id, data) VALUES (?, ?, ?, ?)`),
      histRange: db
        .prepare(
          `SELECT event_id, data FROM history WHERE namespace = ? AND run_id = ? AND event_id >= ? AND event_id < ? ORDER BY event_id LIMIT ?`,
        )
        .raw(),
      histRangeDesc: db
        .prepare(
          `SELECT event_id, data FROM history WHERE namespace = ? AND run_id = ? AND event_id <= ? ORDER BY event_id DESC LIMIT ?`,
        )
        .raw(),
      histLast: db.prepare(`SELECT data FROM history WHERE namespace = ? AND run_id = ? ORDER BY event_id DESC LIMIT 1`),
      histOne: db.prepare(`SELECT data FROM history WHERE namespace = ? AND run_id = ? AND event_id = ?`),
      taskInsert: db.prepare(
        `INSERT INTO tasks (namespace, task_queue, kind, run_id, ref, attempt, priority, pass) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      taskOldest: db.prepare(
        `SELECT id, namespace, task_queue AS taskQueue, kind, run_id AS runId, ref, attempt, priority, pass FROM tasks
         WHERE namespace = ? AND task_queue = ? AND kind = ? ORDER BY id LIMIT 1`,
      ),
      taskNext: db.prepare(
        `SELECT id, namespace, task_queue AS taskQueue, kind, run_id AS runId, ref, attempt, priority, pass FROM tasks
         WHERE namespace = ? AND task_queue = ? AND kind = ? ORDER BY priority, pass, id LIMIT 1`,
      ),
      taskDelete: db.prepare(`DELETE FROM tasks WHERE id = ?`),
      taskDeleteForRun: db.prepare(`DELETE FROM tasks WHERE namespace = ? AND run_id = ?`),
      taskDeleteRef: db.prepare(`DELETE FROM tasks WHERE namespace = ? AND run_id = ? AND kind = ? AND ref = ?`),
      taskList: db.prepare(
        `SELECT id, namespace, task_queue AS taskQueue, kind, run_id AS runId, ref, attempt, priority, pass FROM tasks
         WHERE namespace = ? AND task_queue = ? AND kind = ? ORDER BY id`,
      ),
      taskCount: db.prepare(`SELECT count(*) AS n FROM tasks WHERE namespace = ? AND task_queue = ? AND kind = ?`),
      taskLowestPass: db.prepare(`SELECT min(pass) AS pass FROM tasks WHERE namespace = ? AND task_queue = ? AND kind = ? AND priority = ?`),
      timerInsert: db.prepare(`INSERT INTO timers (fire_at, namespace, run_id, kind, data) VALUES (?, ?, ?, ?, ?)`),
      timerDue: db.prepare(
        `SELECT id, fire_at AS fireAt, namespace, run_id AS runId, kind, data FROM timers WHERE fire_at <= ? ORDER BY fire_at, id LIMIT ?`,
      ),
      timerNext: db.prepare(`SELECT min(fire_at) AS t FROM timers`),
      timerNextExcept: db.prepare(`SELECT min(fire_at) AS t FROM timers WHERE kind != ?`),
      timerDelete: db.prepare(`DELETE FROM timers WHERE id = ?`),
      timerDeleteForRun: db.prepare(`DELETE FROM timers WHERE namespace = ? AND run_id = ?`),
      timerDeleteKindForRun: db.prepare(`DELETE FROM timers WHERE namespace = ? AND run_id = ? AND kind = ?`),
      // An upsert updates the row in place; OR REPLACE would delete and re-insert it (and its index entries).
      visPut: db.prepare(
        `INSERT INTO visibility (namespace, run_id, workflow_id, workflow_type, task_queue, status, start_time,
          execution_time, close_time, execution_duration, history_length, history_size_bytes, parent_workflow_id,
          parent_run_id, root_workflow_id, root_run_id, search_attributes, memo)
         VALUES (@namespace, @run_id, @workflow_id, @workflow_type, @task_queue, @status, @start_time, @execution_time,
          @close_time, @execution_duration, @history_length, @history_size_bytes, @parent_workflow_id, @parent_run_id,
          @root_workflow_id, @root_run_id, @search_attributes, @memo)
         ON CONFLICT (namespace, run_id) DO UPDATE SET workflow_id = excluded.workflow_id,
          workflow_type = excluded.workflow_type, task_queue = excluded.task_queue, status = excluded.status,
          start_time = excluded.start_time, execution_time = excluded.execution_time, close_time = excluded.close_time,
          execution_duration = excluded.execution_duration, history_length = excluded.history_length,
          history_size_bytes = excluded.history_size_bytes, parent_workflow_id = excluded.parent_workflow_id,
          parent_run_id = excluded.parent_run_id, root_workflow_id = excluded.root_workflow_id,
          root_run_id = excluded.root_run_id, search_attributes = excluded.search_attributes, memo = excluded.memo`,
      ),
      schedGet: db.prepare(`SELECT data FROM schedules WHERE namespace = ? AND schedule_id = ?`),
      schedPut: db.prepare(
        `INSERT INTO schedules (namespace, schedule_id, data) VALUES (?, ?, ?)
         ON CONFLICT (namespace, schedule_id) DO UPDATE SET data = excluded.data`,
      ),
      schedDelete: db.prepare(`DELETE FROM schedules WHERE namespace = ? AND schedule_id = ?`),
      schedCount: db.prepare(`SELECT count(*) AS n FROM schedules WHERE namespace = ?`),
      schedList: db.prepare(
        `SELECT data FROM schedules WHERE namespace = ? AND schedule_id > ? ORDER BY schedule_id LIMIT ?`,
      ),
      saList: db.prepare(`SELECT name, type FROM search_attributes WHERE namespace = ?`),
      saInsert: db.prepare(`INSERT INTO search_attributes (namespace, name, type) VALUES (?, ?, ?)`),
      saDelete: db.prepare(`DELETE FROM search_attributes WHERE namespace = ? AND name = ?`),
    };
  }

  /** Told the duration (ms) and outcome of every top-level transaction (metrics). */
  onTransaction: ((ms: number, committed: boolean) => void) | undefined;

  /** Runs `fn` in one IMMEDIATE transaction; a throw rolls everything back. */
  transaction<T>(fn: () => T): T {
    const observe = this.db.inTransaction ? undefined : this.onTransaction;
    const started = observe === undefined ? 0 : performance.now();
    let committed = false;
    try {
      const result = this.immediate(fn);
      committed = true;
      return result;
    } catch (error) {
      // What the caches learnt inside the transaction may have been rolled back with it.
      this.nsCache.clear();
      this.saCache.clear();
      throw error;
    } finally {
      observe?.(performance.now() - started, committed);
    }
  }

  close(): void {
    this.db.close();
  }

  // Namespaces

  getNamespace(name: string): NamespaceRow | undefined {
    const cached = this.nsCache.get(name);
    if (cached !== undefined) return cached;
    const row = this.stmts.nsGet.get(name) as RawNamespace | undefined;
    if (row === undefined) return undefined;
    const ns = toNamespace(row);
    this.nsCache.set(name, ns);
    return ns;
  }

  getNamespaceById(id: string): NamespaceRow | undefined {
    const row = this.stmts.nsGetById.get(id) as RawNamespace | undefined;
    return row && toNamespace(row);
  }

  listNamespaces(): NamespaceRow[] {
    return (this.stmts.nsList.all() as RawNamespace[]).map(toNamespace);
  }

  insertNamespace(ns: NamespaceRow): void {
    this.stmts.nsInsert.run(ns.name, ns.id, ns.description, ns.ownerEmail, ns.retentionMs, JSON.stringify(ns.data));
  }

  /** Rewrites a namespace's description, owner, retention and data (found by name). */
  updateNamespace(ns: NamespaceRow): void {
    this.stmts.nsUpdate.run(ns.description, ns.ownerEmail, ns.retentionMs, JSON.stringify(ns.data), ns.name);
    this.nsCache.delete(ns.name);
  }

  /** This database's cluster id: made on first use and kept (GetClusterInfo). */
  clusterId(): string {
    if (this.cachedClusterId !== undefined) return this.cachedClusterId;
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'cluster_id'`).get() as { value: string } | undefined;
    this.cachedClusterId = row?.value ?? randomUUID();
    if (!row) this.db.prepare(`INSERT INTO meta (key, value) VALUES ('cluster_id', ?)`).run(this.cachedClusterId);
    return this.cachedClusterId;
  }
  private cachedClusterId: string | undefined;

  // Executions

  getExecutionState(namespace: string, runId: string): string | undefined {
    return (this.stmts.execGet.get(namespace, runId) as { state: string } | undefined)?.state;
  }

  putExecutionState(namespace: string, runId: string, workflowId: string, state: string): void {
    this.stmts.execPut.run(namespace, runId, workflowId, state);
  }

  getCurrentRunId(namespace: string, workflowId: string): string | undefined {
    return (this.stmts.currentGet.get(namespace, workflowId) as { run_id: string } | undefined)?.run_id;
  }

  setCurrentRunId(namespace: string, workflowId: string, runId: string): void {
    this.stmts.currentPut.run(namespace, workflowId, runId);
  }

  /**
   * Deletes everything stored about a run: its state, history, visibility row, pending tasks and
   * timers, and the workflow id's current-run pointer when it points at this run.
   */
  deleteExecution(namespace: string, runId: string, workflowId: string): void {
    const s = this.stmts;
    s.execDelete.run(namespace, runId);
    s.currentDelete.run(namespace, workflowId, runId);
    s.histDelete.run(namespace, runId);
    s.visDelete.run(namespace, runId);
    s.taskDeleteForRun.run(namespace, runId);
    s.timerDeleteForRun.run(namespace, runId);
  }

  // History

  appendEvents(namespace: string, runId: string, events: readonly IHistoryEvent[]): number {
    let bytes = 0;
    for (const event of events) {
      const data = HistoryEvent.encode(event).finish();
      bytes += data.length;
      this.stmts.histInsert.run(namespace, runId, longToNumber(event.eventId), data); // (Number(long) would go through toString)
    }
    return bytes;
  }

  /** Events with `from <= id < to`, at most `limit`, in order. */
  readEvents(namespace: string, runId: string, from: number, to = Number.MAX_SAFE_INTEGER, limit = -1): HistoryEventMessage[] {
    return this.readEncodedEvents(namespace, runId, from, to, limit).events.map((data) => HistoryEvent.decode(data));
  }

  /**
   * Like {@link readEvents}, but the events stay encoded (as stored), for a response to splice in
   * (`EncodedHistory`); `lastEventId` is the id of the last one (`from - 1` when there is none).
   */
  readEncodedEvents(namespace: string, runId: string, from: number, to = Number.MAX_SAFE_INTEGER, limit = -1): EncodedEvents {
    const rows = this.stmts.histRange.all(namespace, runId, from, to, limit) as [number, Buffer][];
    return { events: rows.map((r) => r[1]), lastEventId: rows.at(-1)?.[0] ?? from - 1 };
  }

  /**
   * Events `upTo`, `upTo - 1`, … (at most `limit`), newest first and still encoded; `lastEventId` is
   * the id of the last (oldest) one returned (`upTo + 1` when there is none).
   */
  readEncodedEventsBackwards(namespace: string, runId: string, upTo: number, limit: number): EncodedEvents {
    const rows = this.stmts.histRangeDesc.all(namespace, runId, upTo, limit) as [number, Buffer][];
    return { events: rows.map((r) => r[1]), lastEventId: rows.at(-1)?.[0] ?? upTo + 1 };
  }

  readEvent(namespace: string, runId: string, eventId: number): HistoryEventMessage | undefined {
    const row = this.stmts.histOne.get(namespace, runId, eventId) as { data: Buffer } | undefined;
    return row && HistoryEvent.decode(row.data);
  }

  readLastEvent(namespace: string, runId: string): HistoryEventMessage | undefined {
    const row = this.stmts.histLast.get(namespace, runId) as { data: Buffer } | undefined;
    return row && HistoryEvent.decode(row.data);
  }

  // Tasks

  insertTask(namespace: string, taskQueue: string, kind: TaskKind, runId: string, ref: number, attempt: number, priority: number, pass: number): void {
    this.stmts.taskInsert.run(namespace, taskQueue, kind, runId, ref, attempt, priority, pass);
  }

  /** The lowest fairness pass queued at a queue's priority, 0 when none is. */
  lowestTaskPass(namespace: string, taskQueue: string, kind: TaskKind, priority: number): number {
    return (this.stmts.taskLowestPass.get(namespace, taskQueue, kind, priority) as { pass: number | null }).pass ?? 0;
  }

  /** The queue's task added first (for its backlog age). */
  oldestTask(namespace: string, taskQueue: string, kind: TaskKind): TaskRow | undefined {
    return this.stmts.taskOldest.get(namespace, taskQueue, kind) as TaskRow | undefined;
  }

  /** The queue's task to dispatch next: the lowest priority key, then the lowest fairness pass, then the first added. */
  nextTask(namespace: string, taskQueue: string, kind: TaskKind): TaskRow | undefined {
    return this.stmts.taskNext.get(namespace, taskQueue, kind) as TaskRow | undefined;
  }

  deleteTask(id: number): void {
    this.stmts.taskDelete.run(id);
  }

  deleteTasksOfRun(namespace: string, runId: string): void {
    this.stmts.taskDeleteForRun.run(namespace, runId);
  }

  /** Deletes the rows of one task of a run (the workflow task or activity with scheduled event id `ref`). */
  deleteTasksOf(namespace: string, runId: string, kind: TaskKind, ref: number): void {
    this.stmts.taskDeleteRef.run(namespace, runId, kind, ref);
  }

  /** Every pending task of a queue, oldest first. */
  tasksOnQueue(namespace: string, taskQueue: string, kind: TaskKind): TaskRow[] {
    return this.stmts.taskList.all(namespace, taskQueue, kind) as TaskRow[];
  }

  countTasks(namespace: string, taskQueue: string, kind: TaskKind): number {
    return (this.stmts.taskCount.get(namespace, taskQueue, kind) as { n: number }).n;
  }

  // Timers

  insertTimer(fireAt: number, namespace: string, runId: string, kind: string, data: Record<string, unknown>): void {
    this.stmts.timerInsert.run(Math.round(fireAt), namespace, runId, kind, JSON.stringify(data));
  }

  dueTimers(now: number, limit: number): TimerRow[] {
    const rows = this.stmts.timerDue.all(now, limit) as (Omit<TimerRow, 'data'> & { data: string })[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /** The earliest fire time of all timers, or of all but those of kind `exceptKind`. */
  nextTimerAt(exceptKind?: string): number | undefined {
    const row = (exceptKind === undefined ? this.stmts.timerNext.get() : this.stmts.timerNextExcept.get(exceptKind)) as { t: number | null };
    return row.t ?? undefined;
  }

  deleteTimer(id: number): void {
    this.stmts.timerDelete.run(id);
  }

  deleteTimersOfRun(namespace: string, runId: string): void {
    this.stmts.timerDeleteForRun.run(namespace, runId);
  }

  /** Deletes a run's timers of one kind. */
  deleteTimersOfKind(namespace: string, runId: string, kind: string): void {
    this.stmts.timerDeleteKindForRun.run(namespace, runId, kind);
  }

  // Visibility

  putVisibility(row: VisibilityRow): void {
    this.stmts.visPut.run(row);
  }

  /** Runs of the namespace that closed before `time` (ms), oldest first: retention's candidates. */
  runsClosedBefore(namespace: string, time: number, limit: number): Array<{ runId: string; workflowId: string }> {
    return this.stmts.visClosedBefore.all(namespace, time, limit) as Array<{ runId: string; workflowId: string }>;
  }

  // Schedules (JSON documents owned by the scheduler)

  getSchedule(namespace: string, scheduleId: string): string | undefined {
    return (this.stmts.schedGet.get(namespace, scheduleId) as { data: string } | undefined)?.data;
  }

  putSchedule(namespace: string, scheduleId: string, data: string): void {
    this.stmts.schedPut.run(namespace, scheduleId, data);
  }

  deleteSchedule(namespace: string, scheduleId: string): void {
    this.stmts.schedDelete.run(namespace, scheduleId);
  }

  /** Schedules with ids after `afterId`, in id order. */
  countSchedules(namespace: string): number {
    return (this.stmts.schedCount.get(namespace) as { n: number }).n;
  }

  listSchedules(namespace: string, afterId: string, limit: number): string[] {
    return (this.stmts.schedList.all(namespace, afterId, limit) as { data: string }[]).map((r) => r.data);
  }

  // Search attributes

  listSearchAttributes(namespace: string): { name: string; type: string }[] {
    return this.stmts.saList.all(namespace) as { name: string; type: string }[];
  }

  /** `base` plus the namespace's registered attributes (cached until the registry changes). */
  searchAttributeTypes<T extends string>(namespace: string, base: ReadonlyMap<string, T>): ReadonlyMap<string, T> {
    let map = this.saCache.get(namespace);
    if (!map) {
      map = new Map([...base, ...this.listSearchAttributes(namespace).map((a) => [a.name, a.type] as const)]);
      this.saCache.set(namespace, map);
    }
    return map as ReadonlyMap<string, T>;
  }

  addSearchAttribute(namespace: string, name: string, type: string): void {
    this.stmts.saInsert.run(namespace, name, type);
    this.saCache.delete(namespace);
  }

  removeSearchAttribute(namespace: string, name: string): void {
    this.stmts.saDelete.run(namespace, name);
    this.saCache.delete(namespace);
  }
}

interface RawNamespace {
  name: string;
  id: string;
  description: string;
  owner_email: string;
  retention_ms: number;
  data: string;
}

function toNamespace(r: RawNamespace): NamespaceRow {
  return Object.freeze({
    name: r.name,
    id: r.id,
    description: r.description,
    ownerEmail: r.owner_email,
    retentionMs: r.retention_ms,
    data: Object.freeze(JSON.parse(r.data) as Record<string, string>),
  });
}
