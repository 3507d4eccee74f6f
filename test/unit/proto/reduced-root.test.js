// The reduced Temporal API root (dist/proto/root.js, built from the descriptor `npm run build` cuts
// from @temporalio/proto) against @temporalio/proto's own root: same types and definitions, same
// bytes for every message type, same patched shape, and every type duraflow's source names exists.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { DESCRIPTOR_FILE, OMITTED_NAMESPACES, pruneNested } from '../../../dist/proto/descriptor.js';
import { google, grpc, temporal } from '../../../dist/proto/index.js';
import { protoRootSource, root } from '../../../dist/proto/root.js';
import { PLAIN, reflectedObjects, sample, sampleCount } from './helpers/sample-message.js';

const require = createRequire(import.meta.url);
const full = require('@temporalio/proto');
const OMITTED_PREFIXES = OMITTED_NAMESPACES.map((path) => `.${path}.`);
const isOmitted = (fullName) => OMITTED_PREFIXES.some((prefix) => fullName.startsWith(prefix));
const isMessage = (object) => Array.isArray(object.fieldsArray);
/** Extension fields that omitted namespaces add to google.protobuf's *Options types (`.google.api.http`). */
const isOmittedExtension = (field) => isOmitted(`${field.name}.`);

/** Reads a dotted path of properties (patched namespaces, types, enums). */
const walk = (start, fullName) => fullName.replace(/^\./, '').split('.').reduce((ns, part) => ns?.[part], start);

/** A reflection object's JSON (as plain data) without extension fields declared in omitted namespaces. */
function definition(object) {
  const json = JSON.parse(JSON.stringify(object.toJSON()));
  if (!json.fields) return json;
  const fields = Object.fromEntries(Object.entries(json.fields).filter(([name]) => !isOmittedExtension({ name })));
  return { ...json, fields };
}

/** Decoded plain data without the (default) values of omitted extension fields. */
function withoutOmittedExtensions(value) {
  if (Array.isArray(value)) return value.map(withoutOmittedExtensions);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([name]) => !isOmittedExtension({ name }));
  return Object.fromEntries(entries.map(([name, inner]) => [name, withoutOmittedExtensions(inner)]));
}

describe('reduced proto root: loading', () => {
  it('is built from the generated descriptor (run `npm run build`, which writes it after tsc)', () => {
    assert.equal(protoRootSource, 'reduced');
    const descriptor = JSON.parse(readFileSync(new URL(`../../../dist/proto/${DESCRIPTOR_FILE}`, import.meta.url), 'utf8'));
    assert.equal(descriptor.temporalioProtoVersion, require('@temporalio/proto/package.json').version);
    assert.deepEqual(descriptor.omitted, OMITTED_NAMESPACES);
  });

  it('leaves out the omitted namespaces but still reaches them through the full package', () => {
    for (const path of OMITTED_NAMESPACES) assert.equal(root.lookup(path), null, path);
    assert.equal(temporal.api.cloud, full.temporal.api.cloud);
    assert.equal(typeof temporal.api.cloud.cloudservice.v1.GetUsersRequest.encode, 'function');
    assert.equal(google.api, full.google.api);
    assert.ok(!Object.keys(temporal.api).includes('cloud'), 'the fallback is not enumerable');
  });

  it('pruneNested names an unknown namespace and leaves its input alone', () => {
    const nested = { a: { nested: { b: { nested: {} }, c: { nested: {} } } } };
    assert.deepEqual(pruneNested(nested, ['a.b']), { a: { nested: { c: { nested: {} } } } });
    assert.ok(nested.a.nested.b);
    assert.throws(() => pruneNested(nested, ['a.x']), /namespace a\.x is not in @temporalio\/proto's descriptor/);
  });
});

describe('reduced proto root: definitions', () => {
  const fullObjects = [...reflectedObjects(full)].filter((object) => !isOmitted(object.fullName));

  it('has every type and enum of @temporalio/proto outside the omitted namespaces, defined identically', () => {
    assert.ok(fullObjects.length > 700, `only ${fullObjects.length} types`);
    for (const object of fullObjects) {
      const mine = root.lookup(object.fullName);
      assert.ok(mine, `${object.fullName} is missing`);
      assert.deepEqual(definition(mine), definition(object), object.fullName);
    }
  });

  it('has nothing @temporalio/proto does not', () => {
    const names = new Set(fullObjects.map((object) => object.fullName));
    for (const object of reflectedObjects(root)) assert.ok(names.has(object.fullName), object.fullName);
  });

  it('exposes namespaces, types and enums as properties, as @temporalio/proto does', () => {
    for (const object of fullObjects) {
      const exported = walk({ temporal, google, grpc }, object.fullName);
      const official = walk(full, object.fullName);
      if (official === undefined) continue; // not exposed upstream either (a lowercase name)
      if (isMessage(object)) {
        assert.equal(exported, root.lookupType(object.fullName), object.fullName);
        for (const method of ['create', 'encode', 'decode', 'fromObject', 'toObject']) {
          assert.equal(typeof exported[method], 'function', `${object.fullName}.${method}`);
        }
      } else {
        // Enum values objects: name → number, with number → name on the prototype.
        assert.deepEqual({ ...exported }, { ...official }, object.fullName);
        assert.deepEqual({ ...Object.getPrototypeOf(exported) }, { ...Object.getPrototypeOf(official) }, object.fullName);
      }
    }
  });

  it('has every temporal.api / google type that duraflow source names', () => {
    const src = new URL('../../../src/', import.meta.url);
    const files = readdirSync(src, { recursive: true }).filter((file) => file.endsWith('.ts'));
    const pattern = /\b((?:temporal\.api|google\.(?:protobuf|rpc))(?:\.[a-z0-9_]+)*)(?:\.([A-Z]\w*))?/g;
    let checked = 0;
    for (const file of files) {
      for (const [, namespace, name] of readFileSync(new URL(file, src), 'utf8').matchAll(pattern)) {
        const ns = walk({ temporal, google }, namespace);
        assert.ok(ns, `${file}: namespace ${namespace}`);
        if (!name) continue;
        // `IFoo` names the interface of message Foo (types only).
        const found = ns[name] ?? (name.startsWith('I') ? ns[name.slice(1)] : undefined);
        assert.ok(found, `${file}: ${namespace}.${name}`);
        checked++;
      }
    }
    assert.ok(checked > 300, `only ${checked} references found`);
  });
});

describe('reduced proto root: wire compatibility', () => {
  it('encodes every message type (every oneof member) to the same bytes and decodes them alike', () => {
    let messages = 0;
    for (const type of reflectedObjects(full)) {
      if (!isMessage(type) || isOmitted(type.fullName)) continue;
      const mine = root.lookupType(type.fullName);
      for (let variant = 0; variant < sampleCount(type); variant++) {
        const object = sample(type, variant, isOmittedExtension);
        const bytes = type.encode(type.fromObject(object)).finish();
        assert.deepEqual(Buffer.from(mine.encode(mine.fromObject(object)).finish()), Buffer.from(bytes), type.fullName);
        const decoded = withoutOmittedExtensions(type.toObject(type.decode(bytes), PLAIN));
        assert.deepEqual(mine.toObject(mine.decode(bytes), PLAIN), decoded, type.fullName);
        messages++;
      }
    }
    assert.ok(messages > 800, `only ${messages} messages`);
  });

  it('round-trips a history with one event of every attributes kind', () => {
    const Official = full.temporal.api.history.v1.History;
    const kinds = full.temporal.api.history.v1.HistoryEvent.oneofs.attributes.oneof;
    const events = kinds.map((kind, i) => ({
      ...sample(full.temporal.api.history.v1.HistoryEvent, i),
      eventId: String(i + 1),
    }));
    const bytes = Official.encode(Official.fromObject({ events })).finish();
    const mine = temporal.api.history.v1.History.decode(bytes);
    assert.deepEqual(
      mine.events.map((event) => event.attributes),
      kinds,
    );
    assert.deepEqual(Buffer.from(temporal.api.history.v1.History.encode(mine).finish()), Buffer.from(bytes));
  });

  it('encodes a failure chain and a start request like @temporalio/proto', () => {
    const failure = {
      message: 'outer',
      source: 'TypeScriptSDK',
      stackTrace: 'at x',
      applicationFailureInfo: { type: 'Oops', nonRetryable: true, details: { payloads: [{ data: Buffer.from('1') }] } },
      cause: { message: 'inner', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_HEARTBEAT' }, cause: { message: 'root', canceledFailureInfo: {} } },
    };
    const request = {
      namespace: 'default',
      workflowId: 'wf',
      workflowType: { name: 'greet' },
      taskQueue: { name: 'q', kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"x"') }] },
      workflowRunTimeout: { seconds: '60' },
      workflowIdReusePolicy: 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE',
      retryPolicy: { maximumAttempts: 3, backoffCoefficient: 2, initialInterval: { nanos: 5e8 } },
      memo: { fields: { a: { data: Buffer.from('1') } } },
      searchAttributes: { indexedFields: { CustomKeywordField: { data: Buffer.from('"k"') } } },
      header: { fields: {} },
      requestId: 'r',
    };
    for (const [name, object] of [
      ['temporal.api.failure.v1.Failure', failure],
      ['temporal.api.workflowservice.v1.StartWorkflowExecutionRequest', request],
    ]) {
      const official = full.lookupType(name);
      const mine = walk({ temporal }, name);
      const bytes = official.encode(official.fromObject(object)).finish();
      assert.deepEqual(Buffer.from(mine.encode(mine.fromObject(object)).finish()), Buffer.from(bytes), name);
      assert.deepEqual(mine.toObject(mine.decode(bytes), PLAIN), official.toObject(official.decode(bytes), PLAIN), name);
    }
  });
});
