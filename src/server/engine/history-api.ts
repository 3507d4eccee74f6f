/** GetWorkflowExecutionHistory (paging, wait_new_event, the CLOSE_EVENT long poll) and its reverse. */
import { EncodedHistory } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import type { Engine } from './engine.js';
import { HistoryEventFilterType } from './enums.js';
import type {
  IGetWorkflowExecutionHistoryRequest,
  IGetWorkflowExecutionHistoryResponse,
  IGetWorkflowExecutionHistoryReverseRequest,
  IGetWorkflowExecutionHistoryReverseResponse,
} from './proto-types.js';


/** How long a history long poll waits before answering with no events (Temporal: 20 s). */
export const HISTORY_LONG_POLL_MS = 20_000;
const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 10_000;

interface PageToken {
  /** the run the paging is pinned to */
  r: string;
  /** next event id to return (going backwards: the highest one) */
  n: number;
}

function encodePageToken(t: PageToken): Buffer {
  return Buffer.from(JSON.stringify(t));
}

function decodePageToken(bytes: Uint8Array, method = 'GetWorkflowExecutionHistory'): PageToken {
  try {
    const t = JSON.parse(Buffer.from(bytes).toString('utf8')) as PageToken;
    if (typeof t.r === 'string' && typeof t.n === 'number') return t;
  } catch {
    // fall through
  }
  throw invalidArgument(`Invalid NextPageToken for ${method}.`);
}

/** Zero or negative means the default, as Temporal's frontend reads it (a negative LIMIT would be none). */
function pageSizeOf(requested: number | null | undefined): number {
  return Math.min(requested && requested > 0 ? requested : DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
}

export interface HistoryRequestContext {
  namespace: string;
  deadline: number;
  signal: AbortSignal;
}

/** Answers GetWorkflowExecutionHistory, long-polling when asked to. */
export async function getHistory(
  engine: Engine,
  req: IGetWorkflowExecutionHistoryRequest,
  ctx: HistoryRequestContext,
): Promise<IGetWorkflowExecutionHistoryResponse> {
  const token = req.nextPageToken && req.nextPageToken.length > 0 ? decodePageToken(req.nextPageToken) : undefined;
  const execution = token ? { workflowId: req.execution?.workflowId ?? '', runId: token.r } : req.execution;
  let run = engine.read((tx) => tx.resolveRun(ctx.namespace, execution));
  const runId = run.state.runId;
  const closeOnly = req.historyEventFilterType === HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
  const pageSize = pageSizeOf(req.maximumPageSize);
  const from = token?.n ?? 1;
  const waitUntil = Math.min(ctx.deadline, Date.now() + HISTORY_LONG_POLL_MS);
  for (;;) {
    const s = run.state;
    if (closeOnly && !run.isOpen) {
      const { events } = engine.store.readEncodedEvents(s.namespace, s.runId, s.closeEventId, s.closeEventId + 1);
      return { history: new EncodedHistory(events) };
    }
    if (!closeOnly) {
      const { events, lastEventId } = engine.store.readEncodedEvents(s.namespace, s.runId, from, Number.MAX_SAFE_INTEGER, pageSize);
      const more = lastEventId < s.nextEventId - 1;
      const keepFollowing = Boolean(req.waitNewEvent) && run.isOpen;
      if (events.length > 0 || !keepFollowing || Date.now() >= waitUntil) {
        const next = more || keepFollowing ? encodePageToken({ r: s.runId, n: lastEventId + 1 }) : undefined;
        return { history: new EncodedHistory(events), nextPageToken: next };
      }
    } else if (!req.waitNewEvent || Date.now() >= waitUntil) {
      return { history: { events: [] }, nextPageToken: encodePageToken({ r: s.runId, n: s.nextEventId }) };
    }
    if (ctx.signal.aborted || engine.isStopped) return { history: { events: [] }, nextPageToken: encodePageToken({ r: s.runId, n: from }) };
    const key = closeOnly ? engine.closeKey(s.namespace, s.runId) : engine.historyKey(s.namespace, s.runId);
    await engine.waiters.wait(key, waitUntil - Date.now(), ctx.signal);
    run = engine.read((tx) => tx.resolveRun(ctx.namespace, { runId }));
  }
}

/**
 * Answers GetWorkflowExecutionHistoryReverse: the run's events newest first, a page at a time (the
 * Temporal web UI reads a workflow's latest events this way). Paging stays on the run the first
 * page resolved; events appended after the first page are not returned (they are newer than it).
 */
export function getHistoryReverse(
  engine: Engine,
  namespace: string,
  req: IGetWorkflowExecutionHistoryReverseRequest,
): IGetWorkflowExecutionHistoryReverseResponse {
  const method = 'GetWorkflowExecutionHistoryReverse';
  const token = req.nextPageToken && req.nextPageToken.length > 0 ? decodePageToken(req.nextPageToken, method) : undefined;
  const execution = token ? { workflowId: req.execution?.workflowId ?? '', runId: token.r } : req.execution;
  const s = engine.read((tx) => tx.resolveRun(namespace, execution)).state;
  const upTo = Math.min(token?.n ?? Number.MAX_SAFE_INTEGER, s.nextEventId - 1);
  const { events, lastEventId } = engine.store.readEncodedEventsBackwards(s.namespace, s.runId, upTo, pageSizeOf(req.maximumPageSize));
  const next = lastEventId > 1 ? encodePageToken({ r: s.runId, n: lastEventId - 1 }) : undefined;
  return { history: new EncodedHistory(events), nextPageToken: next };
}
