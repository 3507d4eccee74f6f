// Build step (run by `npm run build`, after tsc): cuts the reduced Temporal API descriptor that
// dist/proto/root.js loads from the installed @temporalio/proto, and checks it.
//
// The descriptor is the exact JSON object @temporalio/proto's generated json-module passes to
// protobufjs (captured at that call; protobufjs's own toJSON() loses proto3-optional oneofs), minus
// the namespaces in OMITTED_NAMESPACES (dist/proto/descriptor.js). The check builds a protobufjs
// root from it and resolves every type, so a kept type that references a removed one fails the build.
//
// Usage: node scripts/gen-proto-descriptor.js [--out <file>]   (default: dist/proto/temporal-api.json)
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { DESCRIPTOR_FILE, reduceDescriptor } = await import(new URL('../dist/proto/descriptor.js', import.meta.url).href);
const { values } = parseArgs({ options: { out: { type: 'string', default: resolve(repo, 'dist/proto', DESCRIPTOR_FILE) } } });

const require = createRequire(import.meta.url);
const SERVICES = [
  'temporal.api.workflowservice.v1.WorkflowService',
  'temporal.api.operatorservice.v1.OperatorService',
  'temporal.api.testservice.v1.TestService',
];

/** The `nested` JSON that @temporalio/proto's json-module hands to `Root#addJSON`. */
function captureNested() {
  const modulePath = require.resolve('@temporalio/proto/protos/json-module.js');
  const moduleRequire = createRequire(modulePath);
  const protobuf = moduleRequire('protobufjs/light');
  const addJSON = protobuf.Root.prototype.addJSON;
  let captured;
  protobuf.Root.prototype.addJSON = function capture(nested, ...rest) {
    captured ??= nested;
    return addJSON.call(this, nested, ...rest);
  };
  try {
    moduleRequire(modulePath);
  } finally {
    protobuf.Root.prototype.addJSON = addJSON;
  }
  if (!captured) throw new Error(`gen-proto-descriptor: ${modulePath} did not call Root#addJSON; its format changed`);
  return captured;
}

/** Builds a root from the descriptor, resolves every type and the services; throws on a dangling reference. */
function check(descriptor) {
  const protobuf = require('protobufjs/light');
  const root = new protobuf.Root().addJSON(descriptor.nested);
  root.resolveAll();
  for (const name of SERVICES) root.lookupService(name);
  root.lookupType('google.rpc.Status');
}

const version = require('@temporalio/proto/package.json').version;
const descriptor = reduceDescriptor(captureNested(), version);
check(descriptor);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(descriptor));
