// The connection flags of `duraflow workflow|schedule …` against dev servers with TLS, mutual TLS
// and API keys: --address, --namespace, --tls*, --api-key, their TEMPORAL_* environment variables,
// and the one-line errors when the connection is refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DevServer } from 'duraflow/server';
import { cleanEnv, runCli, uid } from '../fixtures/cli/env.js';
import { makeTestCerts } from './helpers/certs.js';

const T = { timeout: 60_000 };

function errorLine(result) {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0], /^Error: /);
  return lines[0].slice('Error: '.length);
}

async function json(args, options) {
  const r = await runCli([...args, '-o', 'json'], options);
  assert.equal(r.code, 0, `duraflow ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('duraflow CLI connection flags', () => {
  let certs;
  let tlsServer;
  let mtlsServer;
  let plainServer;
  let ca;
  before(async () => {
    certs = makeTestCerts();
    ca = join(certs.dir, 'ca.crt');
    tlsServer = await DevServer.start({ port: 0, logLevel: 'error', tls: { cert: certs.serverCert, key: certs.serverKey }, apiKey: 's3cret', namespaces: ['tenant'] });
    mtlsServer = await DevServer.start({ port: 0, logLevel: 'error', tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
    plainServer = await DevServer.start({ port: 0, logLevel: 'error', apiKey: 'plain-key' });
  });
  after(async () => {
    await tlsServer?.stop();
    await mtlsServer?.stop();
    await plainServer?.stop();
    certs?.cleanup();
  });

  it('TLS with a private CA and an API key: workflow and schedule commands work', T, async () => {
    const address = `localhost:${tlsServer.port}`;
    const flags = ['--address', address, '--tls-ca-path', ca, '--api-key', 's3cret'];
    const id = uid('tls');
    const started = await json(['workflow', 'start', '--type', 'greet', '-t', 'nobody-polls', '-w', id, ...flags]);
    assert.equal(started.workflowId, id);
    const described = await json(['workflow', 'describe', '-w', id, ...flags]);
    assert.equal(described.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_RUNNING');
    assert.deepEqual(await json(['workflow', 'count', '-q', `WorkflowId = '${id}'`, ...flags]), { count: 1, groups: [] });
    assert.deepEqual(await json(['schedule', 'list', ...flags]), []);
    await json(['workflow', 'terminate', '-w', id, ...flags]);
  });

  it('the TEMPORAL_* environment variables stand in for the flags; flags win over them', T, async () => {
    const env = cleanEnv({
      TEMPORAL_ADDRESS: `localhost:${tlsServer.port}`,
      TEMPORAL_NAMESPACE: 'tenant',
      TEMPORAL_API_KEY: 's3cret',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
    });
    const id = uid('env');
    const started = await json(['workflow', 'start', '--type', 'greet', '-t', 'nobody-polls', '-w', id], { env });
    assert.equal(started.namespace, 'tenant');
    const inTenant = await json(['workflow', 'list', '-q', `WorkflowId = '${id}'`], { env });
    assert.equal(inTenant.length, 1);
    const inDefault = await json(['workflow', 'list', '-q', `WorkflowId = '${id}'`, '--namespace', 'default'], { env });
    assert.equal(inDefault.length, 0, '--namespace overrides TEMPORAL_NAMESPACE');
    const wrongKey = await runCli(['workflow', 'count', '--api-key', 'nope'], { env });
    assert.equal(wrongKey.code, 1, '--api-key overrides TEMPORAL_API_KEY');
    await json(['workflow', 'terminate', '-w', id], { env });
  });

  it('a missing or wrong API key is refused: exit 1 with one line', T, async () => {
    const base = ['workflow', 'count', '--address', `localhost:${tlsServer.port}`, '--tls-ca-path', ca];
    const missing = await runCli(base);
    assert.equal(missing.code, 1);
    assert.match(errorLine(missing), /UNAUTHENTICATED: missing API key/);
    const wrong = await runCli([...base, '--api-key', 'wrong']);
    assert.equal(wrong.code, 1);
    assert.match(errorLine(wrong), /UNAUTHENTICATED: invalid API key/);
  });

  it('--tls-server-name is the name checked against the certificate', T, async () => {
    const base = ['workflow', 'count', '--address', `127.0.0.1:${tlsServer.port}`, '--tls-ca-path', ca, '--api-key', 's3cret'];
    assert.equal(typeof (await json([...base, '--tls-server-name', 'localhost'])).count, 'number');
    const wrong = await runCli([...base, '--tls-server-name', 'wrong.example', '--client-connect-timeout', '2s', '-o', 'json']);
    assert.equal(wrong.code, 1);
    assert.match(errorLine(wrong), /Failed to connect to 127\.0\.0\.1:\d+: .*wrong\.example.*check --tls-ca-path and --tls-server-name/);
  });

  it('an untrusted server certificate fails with a hint naming the CLI flags', T, async () => {
    const r = await runCli(['workflow', 'count', '--address', `localhost:${tlsServer.port}`, '--api-key', 's3cret', '--client-connect-timeout', '2s']);
    assert.equal(r.code, 1);
    assert.match(errorLine(r), /certificate.*check --tls-ca-path and --tls-server-name\)$/);
  });

  it('mutual TLS: --tls-cert-path and --tls-key-path present the client certificate', T, async () => {
    const address = `localhost:${mtlsServer.port}`;
    const flags = ['--address', address, '--tls-ca-path', ca];
    const withCert = await json(['workflow', 'count', ...flags, '--tls-cert-path', join(certs.dir, 'client.crt'), '--tls-key-path', join(certs.dir, 'client.key')]);
    assert.deepEqual(withCert, { count: 0, groups: [] });
    const withoutCert = await runCli(['workflow', 'count', ...flags, '--client-connect-timeout', '2s']);
    assert.equal(withoutCert.code, 1);
    assert.match(errorLine(withoutCert), /^Failed to connect to localhost:\d+/);
    const half = await runCli(['workflow', 'count', ...flags, '--tls-cert-path', join(certs.dir, 'client.crt')]);
    assert.equal(half.code, 2);
    assert.equal(errorLine(half), '--tls-cert-path and --tls-key-path must be given together');
  });

  it('an API key turns TLS on unless --tls=false (a plaintext server with an API key)', T, async () => {
    const flags = ['--address', plainServer.address, '--api-key', 'plain-key'];
    assert.deepEqual(await json(['workflow', 'count', ...flags, '--tls=false']), { count: 0, groups: [] });
    const implied = await runCli(['workflow', 'count', ...flags, '--client-connect-timeout', '2s']);
    assert.equal(implied.code, 1, 'TLS implied by --api-key cannot talk to a plaintext server');
    assert.match(errorLine(implied), /^Failed to connect to/);
    const conflicting = await runCli(['workflow', 'count', ...flags, '--tls=false', '--tls-ca-path', ca]);
    assert.equal(conflicting.code, 2);
    assert.equal(errorLine(conflicting), '--tls=false cannot be combined with --tls-* options');
  });

  it('connection problems: nothing listening, a bad address, an unreadable CA file', T, async () => {
    const refused = await runCli(['workflow', 'list', '--address', '127.0.0.1:1', '--client-connect-timeout', '1s']);
    assert.equal(refused.code, 1);
    assert.match(errorLine(refused), /^Failed to connect to 127\.0\.0\.1:1: .*ECONNREFUSED/);
    const badAddress = await runCli(['workflow', 'list', '--address', 'no-port']);
    assert.equal(badAddress.code, 2);
    assert.equal(errorLine(badAddress), 'address must be "host:port", got "no-port"');
    const noFile = await runCli(['workflow', 'list', '--tls-ca-path', '/nonexistent/ca.pem']);
    assert.equal(noFile.code, 2);
    assert.match(errorLine(noFile), /^--tls-ca-path: cannot read \/nonexistent\/ca\.pem/);
    const noNamespace = await runCli(['workflow', 'list', '--address', plainServer.address, '--api-key', 'plain-key', '--tls=false', '-n', 'ghost']);
    assert.equal(noNamespace.code, 1);
    assert.equal(errorLine(noNamespace), 'namespace not found: ghost');
  });
});
