/** ListWorkflowExecutions and CountWorkflowExecutions over the visibility table. */
import { int64, temporal } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { compileVisibilityQuery, executionStatusName } from '../visibility/index.js';
import type { Engine } from './engine.js';
import { executionInfo } from './describe.js';
import { namespaceSearchAttributes, searchAttributeTypeOf } from './search-attributes.js';
import type { ICountWorkflowExecutionsRequest, ICountWorkflowExecutionsResponse, IListWorkflowExecutionsRequest, IListWorkflowExecutionsResponse } from './proto-types.js';


const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const ORDER = `ORDER BY COALESCE(close_time, 9007199254740991) DESC, start_time DESC, run_id`;

function decodeOffset(token: Uint8Array | null | undefined): number {
  if (!token || token.length === 0) return 0;
  const n = Number(Buffer.from(token).toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw invalidArgument('Invalid NextPageToken for ListWorkflowExecutions.');
  return n;
}

export function listExecutions(engine: Engine, namespace: string, req: IListWorkflowExecutionsRequest): IListWorkflowExecutionsResponse {
  const q = compileVisibilityQuery(req.query ?? '', namespaceSearchAttributes(engine.store, namespace));
  const pageSize = Math.min(req.pageSize && req.pageSize > 0 ? req.pageSize : DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = decodeOffset(req.nextPageToken);
  const rows = engine.store.db
    .prepare(`SELECT run_id FROM visibility WHERE namespace = ? AND (${q.where}) ${ORDER} LIMIT ? OFFSET ?`)
    .all(namespace, ...q.params, pageSize + 1, offset) as { run_id: string }[];
  const typeOf = searchAttributeTypeOf(engine.store, namespace);
  const executions = engine.read((tx) =>
    rows.slice(0, pageSize).flatMap((r) => {
      const run = tx.loadRun(namespace, r.run_id);
      return run ? [executionInfo(run, typeOf)] : [];
    }),
  );
  const more = rows.length > pageSize;
  return { executions, nextPageToken: more ? Buffer.from(String(offset + pageSize)) : undefined };
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
