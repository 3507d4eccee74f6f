/** ListWorkflowExecutions and CountWorkflowExecutions over the visibility table. */
import { int64, temporal } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { compileVisibilityQuery, executionStatusName } from '../visibility/index.js';
import type { Engine } from './engine.js';
import { executionInfo } from './describe.js';
import { namespaceSearchAttributes, searchAttributeTypeOf } from './search-attributes.js';
import type {
  ICountWorkflowExecutionsRequest,
  ICountWorkflowExecutionsResponse,
  IListWorkflowExecutionsRequest,
  IListWorkflowExecutionsResponse,
} from './proto-types.js';


const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const CLOSE = `COALESCE(close_time, 9007199254740991)`;
/** Temporal's fixed order: running first, then by close time, start time (newest first), run id. */
const ORDER = `ORDER BY ${CLOSE} DESC, start_time DESC, run_id`;

/** Keyset page token: the sort key of the last row returned, so rows that change never make paging skip others. */
interface PageKey {
  c: number;
  s: number;
  r: string;
}

function decodePageKey(token: Uint8Array | null | undefined): PageKey | undefined {
  if (!token || token.length === 0) return undefined;
  try {
    const k = JSON.parse(Buffer.from(token).toString('utf8')) as PageKey;
    if (typeof k.c === 'number' && typeof k.s === 'number' && typeof k.r === 'string') return k;
  } catch {
    // fall through
  }
  throw invalidArgument('Invalid NextPageToken for ListWorkflowExecutions.');
}

export function listExecutions(engine: Engine, namespace: string, req: IListWorkflowExecutionsRequest): IListWorkflowExecutionsResponse {
  const q = compileVisibilityQuery(req.query ?? '', namespaceSearchAttributes(engine.store, namespace));
  const pageSize = Math.min(req.pageSize && req.pageSize > 0 ? req.pageSize : DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const after = decodePageKey(req.nextPageToken);
  const keyset = after ? `AND (${CLOSE} < ? OR (${CLOSE} = ? AND (start_time < ? OR (start_time = ? AND run_id > ?))))` : '';
  const keyParams = after ? [after.c, after.c, after.s, after.s, after.r] : [];
  const rows = engine.store.db
    .prepare(`SELECT run_id, ${CLOSE} AS c, start_time AS s FROM visibility WHERE namespace = ? AND (${q.where}) ${keyset} ${ORDER} LIMIT ?`)
    .all(namespace, ...q.params, ...keyParams, pageSize + 1) as { run_id: string; c: number; s: number }[];
  const typeOf = searchAttributeTypeOf(engine.store, namespace);
  const executions = engine.read((tx) =>
    rows.slice(0, pageSize).flatMap((r) => {
      const run = tx.loadRun(namespace, r.run_id);
      return run ? [executionInfo(run, typeOf)] : [];
    }),
  );
  const last = rows[pageSize - 1];
  const more = rows.length > pageSize && last !== undefined;
  return { executions, nextPageToken: more ? Buffer.from(JSON.stringify({ c: last.c, s: last.s, r: last.run_id })) : undefined };
}

export function countExecutions(engine: Engine, namespace: string, req: ICountWorkflowExecutionsRequest): ICountWorkflowExecutionsResponse {
  const q = compileVisibilityQuery(req.query ?? '', namespaceSearchAttributes(engine.store, namespace), { allowGroupBy: true });
  if (!q.groupBy) {
    const row = engine.store.db
      .prepare(`SELECT count(*) AS n FROM visibility WHERE namespace = ? AND (${q.where})`)
      .get(namespace, ...q.params) as { n: number };
    return { count: int64(row.n) };
  }
  const rows = engine.store.db
    .prepare(`SELECT status, count(*) AS n FROM visibility WHERE namespace = ? AND (${q.where}) GROUP BY status ORDER BY status`)
    .all(namespace, ...q.params) as { status: number; n: number }[];
  const { Payload } = temporal.api.common.v1;
  return {
    count: int64(rows.reduce((sum, r) => sum + r.n, 0)),
    groups: rows.map((r) => ({
      groupValues: [
        Payload.create({
          metadata: { encoding: Buffer.from('json/plain'), type: Buffer.from('Keyword') },
          data: Buffer.from(JSON.stringify(executionStatusName(r.status) ?? String(r.status))),
        }),
      ],
      count: int64(r.n),
    })),
  };
}
