/** Namespaces: `default` always exists; Register/Describe/List/Update. */
import { randomUUID } from 'node:crypto';
import { durationFromMs, int64, msFromDuration } from '../../proto/index.js';
import { alreadyExists, invalidArgument, notFound } from '../errors.js';
import type { NamespaceRow, Store } from '../store/store.js';
import { ArchivalState, NamespaceState } from './enums.js';
import type {
  IDescribeNamespaceRequest,
  IDescribeNamespaceResponse,
  IRegisterNamespaceRequest,
  IUpdateNamespaceRequest,
  IUpdateNamespaceResponse,
} from './proto-types.js';


/** Retention of the dev server's namespaces unless registered otherwise (Temporal dev server: 24 h). */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Creates the namespace if it does not exist yet. */
export function ensureNamespace(store: Store, name: string): void {
  if (store.getNamespace(name)) return;
  store.insertNamespace({ name, id: randomUUID(), description: '', ownerEmail: '', retentionMs: DEFAULT_RETENTION_MS, data: {} });
}

/** The namespace, or NOT_FOUND with a NamespaceNotFoundFailure detail. */
export function requireNamespace(store: Store, name: string | null | undefined): NamespaceRow {
  if (!name) throw invalidArgument('Namespace not set on request.');
  const ns = store.getNamespace(name);
  if (!ns) {
    throw notFound(`Namespace ${name} is not found.`, [
      { typeName: 'temporal.api.errordetails.v1.NamespaceNotFoundFailure', value: { namespace: name } },
    ]);
  }
  return ns;
}

export function describeNamespaceResponse(ns: NamespaceRow): IDescribeNamespaceResponse {
  return {
    namespaceInfo: {
      name: ns.name,
      state: NamespaceState.NAMESPACE_STATE_REGISTERED,
      description: ns.description,
      ownerEmail: ns.ownerEmail,
      data: ns.data,
      id: ns.id,
      capabilities: { eagerWorkflowStart: false, syncUpdate: true, asyncUpdate: true },
      supportsSchedules: true,
    },
    config: {
      workflowExecutionRetentionTtl: durationFromMs(ns.retentionMs),
      historyArchivalState: ArchivalState.ARCHIVAL_STATE_DISABLED,
      visibilityArchivalState: ArchivalState.ARCHIVAL_STATE_DISABLED,
    },
    replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }] },
    failoverVersion: int64(0),
    isGlobalNamespace: false,
  };
}

export function describeNamespace(store: Store, req: IDescribeNamespaceRequest): IDescribeNamespaceResponse {
  if (req.id) {
    const ns = store.getNamespaceById(req.id);
    if (!ns) throw notFound(`Namespace with id ${req.id} is not found.`);
    return describeNamespaceResponse(ns);
  }
  return describeNamespaceResponse(requireNamespace(store, req.namespace));
}

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}$/;

export function registerNamespace(store: Store, req: IRegisterNamespaceRequest): void {
  const name = req.namespace ?? '';
  if (!name) throw invalidArgument('Namespace not set on request.');
  if (!NAME_PATTERN.test(name)) {
    throw invalidArgument(`Namespace name "${name}" is invalid: use 2-255 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  }
  if (store.getNamespace(name)) {
    throw alreadyExists('Namespace already exists.', [
      { typeName: 'temporal.api.errordetails.v1.NamespaceAlreadyExistsFailure', value: {} },
    ]);
  }
  const retentionMs = msFromDuration(req.workflowExecutionRetentionPeriod) ?? 0;
  if (retentionMs < 0) throw invalidArgument('WorkflowExecutionRetentionPeriod cannot be negative.');
  store.insertNamespace({
    name,
    id: randomUUID(),
    description: req.description ?? '',
    ownerEmail: req.ownerEmail ?? '',
    retentionMs: retentionMs || DEFAULT_RETENTION_MS,
    data: { ...(req.data ?? {}) },
  });
}

/**
 * UpdateNamespace: description and owner (when given), data (merged, as Temporal merges it) and
 * retention. The dev server keeps namespaces local, registered and unarchived: a request to
 * deprecate or delete, to enable archival, or to promote the namespace is refused.
 */
export function updateNamespace(store: Store, req: IUpdateNamespaceRequest): IUpdateNamespaceResponse {
  const ns = requireNamespace(store, req.namespace);
  const info = req.updateInfo;
  const state = info?.state ?? NamespaceState.NAMESPACE_STATE_UNSPECIFIED;
  if (state !== NamespaceState.NAMESPACE_STATE_UNSPECIFIED && state !== NamespaceState.NAMESPACE_STATE_REGISTERED) {
    throw invalidArgument('The duraflow dev server keeps namespaces registered: it cannot deprecate or delete one.');
  }
  const config = req.config;
  const enabled = ArchivalState.ARCHIVAL_STATE_ENABLED;
  if (config?.historyArchivalState === enabled || config?.visibilityArchivalState === enabled) {
    throw invalidArgument('Archival is not available on the duraflow dev server.');
  }
  if (req.promoteNamespace) throw invalidArgument('The duraflow dev server has one cluster: a namespace cannot be promoted to global.');
  const retentionMs = msFromDuration(config?.workflowExecutionRetentionTtl);
  if (retentionMs !== undefined && retentionMs <= 0) throw invalidArgument('WorkflowExecutionRetentionTtl must be positive.');
  const updated: NamespaceRow = {
    ...ns,
    description: info?.description || ns.description,
    ownerEmail: info?.ownerEmail || ns.ownerEmail,
    data: { ...ns.data, ...(info?.data ?? {}) },
    retentionMs: retentionMs ?? ns.retentionMs,
  };
  store.updateNamespace(updated);
  return describeNamespaceResponse(updated);
}
