/**
 * The protobufjs root behind `temporal` and `google`: built from the reduced descriptor that
 * `npm run build` cuts from the installed `@temporalio/proto` (see descriptor.ts), patched the same
 * way `@temporalio/proto` patches its own root (namespaces and types as properties, enums as value
 * objects). Building it costs about half of loading `@temporalio/proto`, which reflects sdk-core's
 * bridge messages and the Cloud API as well.
 *
 * When the generated file is missing (a `tsc`-only build) or was cut from another version of
 * `@temporalio/proto`, the full `@temporalio/proto` root is used instead: same shape, slower load.
 *
 * @example
 * ```ts
 * import { root } from './root.js';
 * const Payload = root.temporal.api.common.v1.Payload;
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as P from '@temporalio/proto';
import type * as Protobuf from 'protobufjs';
import { DESCRIPTOR_FILE, type ReducedDescriptor } from './descriptor.js';

/** The `@temporalio/proto` root type: `temporal`, `google`, … namespaces plus protobufjs `Root`. */
export type ProtoRoot = typeof P & Pick<Protobuf.Root, 'lookup' | 'lookupType' | 'lookupEnum' | 'lookupService'>;

const require = createRequire(import.meta.url);

/** The full `@temporalio/proto` root (loaded on first call; Node caches it). */
function fullProtoRoot(): ProtoRoot {
  return require('@temporalio/proto') as ProtoRoot;
}

/** The generated descriptor, or undefined when absent or cut from another `@temporalio/proto`. */
function readDescriptor(): ReducedDescriptor | undefined {
  let text: string;
  try {
    text = readFileSync(new URL(`./${DESCRIPTOR_FILE}`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
  const descriptor = JSON.parse(text) as ReducedDescriptor;
  const installed = (require('@temporalio/proto/package.json') as { version: string }).version;
  return descriptor.temporalioProtoVersion === installed ? descriptor : undefined;
}

/**
 * Makes an omitted namespace (`temporal.api.cloud`) readable from the patched root as a lazy
 * property that resolves it in the full `@temporalio/proto` root. Non-enumerable, so walking the
 * namespaces does not load the full root.
 */
function defineFallback(root: object, path: string): void {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let parent: unknown = root;
  for (const part of parts) parent = (parent as Record<string, unknown> | undefined)?.[part];
  if (typeof parent !== 'object' || parent === null || Object.hasOwn(parent, last)) return;
  Object.defineProperty(parent, last, {
    get: () => [...parts, last].reduce<unknown>((ns, part) => (ns as Record<string, unknown>)[part], fullProtoRoot()),
    enumerable: false,
    configurable: true,
  });
}

/** A patched protobufjs root built from a reduced descriptor. */
function buildProtoRoot(descriptor: ReducedDescriptor): ProtoRoot {
  const protobuf = require('protobufjs/light') as typeof Protobuf;
  const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root.js') as {
    patchProtobufRoot<T extends object>(root: T): T;
  };
  const patched = patchProtobufRoot(new protobuf.Root().addJSON(descriptor.nested as Protobuf.INamespace['nested'] & object));
  for (const path of descriptor.omitted) defineFallback(patched, path);
  return patched as unknown as ProtoRoot;
}

const descriptor = readDescriptor();

/** Where {@link root} came from: the generated reduced descriptor, or the full package (fallback). */
export const protoRootSource: 'reduced' | 'full' = descriptor ? 'reduced' : 'full';

/** The Temporal API root duraflow encodes and decodes with. */
export const root: ProtoRoot = descriptor ? buildProtoRoot(descriptor) : fullProtoRoot();
