/**
 * The reduced Temporal API descriptor: which parts of `@temporalio/proto`'s protobufjs descriptor
 * duraflow leaves out, and the pruning that produces the file `npm run build` writes beside the
 * compiled proto module (scripts/gen-proto-descriptor.js). Shared by that script, the loader
 * (root.ts) and the tests, so the three agree on one list.
 *
 * @example
 * ```ts
 * const descriptor = reduceDescriptor(capturedNested, '1.24.0');
 * writeFileSync(`dist/proto/${DESCRIPTOR_FILE}`, JSON.stringify(descriptor));
 * ```
 * @module
 */

/**
 * Dotted namespace paths left out of the reduced descriptor. None of them is referenced by a type
 * duraflow keeps (the build checks this by resolving every kept type), and none is used by duraflow
 * itself: the Cloud operations API, sdk-core's bridge messages, grpc-gateway/openapi and google.api
 * HTTP annotations, and Nexus annotations. Reading one of them from the exported
 * namespaces still works: it loads the full `@temporalio/proto` root on first access.
 */
export const OMITTED_NAMESPACES: readonly string[] = [
  'coresdk',
  'grpc.gateway',
  'nexusannotations',
  'google.api',
  'temporal.api.cloud',
];

/** The file name of the generated descriptor, beside the compiled `root.js`. */
export const DESCRIPTOR_FILE = 'temporal-api.json';

/** The generated file: a protobufjs `nested` JSON map, stamped with the package it was cut from. */
export interface ReducedDescriptor {
  /** `version` of the installed `@temporalio/proto` the descriptor was generated from. */
  readonly temporalioProtoVersion: string;
  /** The namespaces that were removed ({@link OMITTED_NAMESPACES} when generated). */
  readonly omitted: readonly string[];
  /** protobufjs JSON (`Root#addJSON` input) with the omitted namespaces removed. */
  readonly nested: Record<string, unknown>;
}

type JsonNamespace = { nested?: Record<string, unknown> } & Record<string, unknown>;

/**
 * Copies a protobufjs `nested` map without the given dotted namespace paths. Throws when a path
 * does not name a namespace, so a renamed package upstream fails the build instead of silently
 * keeping (or losing) what it held.
 */
export function pruneNested(
  nested: Record<string, unknown>,
  omitted: readonly string[] = OMITTED_NAMESPACES,
): Record<string, unknown> {
  const copy = structuredClone(nested);
  for (const path of omitted) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let container: Record<string, unknown> | undefined = copy;
    for (const part of parts) container = (container?.[part] as JsonNamespace | undefined)?.nested;
    if (container === undefined || !(last in container)) {
      throw new Error(`reduced proto descriptor: namespace ${path} is not in @temporalio/proto's descriptor`);
    }
    delete container[last];
  }
  return copy;
}

/** The reduced descriptor for a captured `@temporalio/proto` descriptor of the given version. */
export function reduceDescriptor(nested: Record<string, unknown>, temporalioProtoVersion: string): ReducedDescriptor {
  return { temporalioProtoVersion, omitted: [...OMITTED_NAMESPACES], nested: pruneNested(nested) };
}
