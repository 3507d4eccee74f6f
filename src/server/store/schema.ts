/**
 * The dev server's SQLite schema. Bump SCHEMA_VERSION and add a migration step to MIGRATIONS when it
 * changes; a new table alone needs neither (every open creates the tables that are missing).
 */
export const SCHEMA_VERSION = 2;

/** Run before {@link SCHEMA_SQL}, in one transaction with the version update: the step from version N to N+1 at index N-1. */
export const MIGRATIONS: readonly string[] = [
  // 1 → 2: tasks carry their priority key (1 highest … 5; 3 is Temporal's default) and their fairness
  // pass, and are taken by them.
  `ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL DEFAULT 3;
   ALTER TABLE tasks ADD COLUMN pass INTEGER NOT NULL DEFAULT 0;
   DROP INDEX IF EXISTS tasks_by_queue;`,
];

/** The meta table, created first: it holds the schema version the migrations start from. */
export const META_SQL = `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS namespaces (
  name TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  owner_email TEXT NOT NULL DEFAULT '',
  retention_ms INTEGER NOT NULL,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS executions (
  namespace TEXT NOT NULL,
  run_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (namespace, run_id)
);
CREATE TABLE IF NOT EXISTS current_executions (
  namespace TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  PRIMARY KEY (namespace, workflow_id)
);
CREATE TABLE IF NOT EXISTS history (
  namespace TEXT NOT NULL,
  run_id TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (namespace, run_id, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL,
  task_queue TEXT NOT NULL,
  kind INTEGER NOT NULL,
  run_id TEXT NOT NULL,
  ref INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  priority INTEGER NOT NULL DEFAULT 3,
  pass INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tasks_by_queue_fair ON tasks (namespace, task_queue, kind, priority, pass, id);
CREATE INDEX IF NOT EXISTS tasks_by_run ON tasks (namespace, run_id);
CREATE TABLE IF NOT EXISTS timers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fire_at INTEGER NOT NULL,
  namespace TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timers_by_time ON timers (fire_at, id);
CREATE INDEX IF NOT EXISTS timers_by_run ON timers (namespace, run_id);
CREATE TABLE IF NOT EXISTS search_attributes (
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS schedules (
  namespace TEXT NOT NULL,
  schedule_id TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (namespace, schedule_id)
);
CREATE TABLE IF NOT EXISTS visibility (
  namespace TEXT NOT NULL,
  run_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  workflow_type TEXT NOT NULL,
  task_queue TEXT NOT NULL,
  status INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  execution_time INTEGER NOT NULL,
  close_time INTEGER,
  execution_duration INTEGER,
  history_length INTEGER NOT NULL,
  history_size_bytes INTEGER NOT NULL,
  parent_workflow_id TEXT,
  parent_run_id TEXT,
  root_workflow_id TEXT,
  root_run_id TEXT,
  search_attributes TEXT NOT NULL DEFAULT '{}',
  memo BLOB,
  PRIMARY KEY (namespace, run_id)
);
CREATE INDEX IF NOT EXISTS visibility_order ON visibility (namespace, close_time, start_time);
CREATE TABLE IF NOT EXISTS task_queue_configs (
  namespace TEXT NOT NULL,
  task_queue TEXT NOT NULL,
  kind INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (namespace, task_queue, kind)
);
CREATE TABLE IF NOT EXISTS batch_jobs (
  namespace TEXT NOT NULL,
  job_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (namespace, job_id)
);
CREATE TABLE IF NOT EXISTS batch_targets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL,
  job_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  run_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS batch_targets_by_job ON batch_targets (namespace, job_id, id);
`;
