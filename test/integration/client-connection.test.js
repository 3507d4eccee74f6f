// duraflow/client Connection against the dev server: connect, TLS, mTLS, API keys, deadlines,
// abort signals and retries of transient failures. Public subpaths only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:net';
import {
  Client,
  Connection,
  ConnectionError,
  defaultGrpcRetryOptions,
  isRetryableError,
  ServiceError,
  WorkflowNotFoundError,
} from 'duraflow/client';
import { DevServer } from 'duraflow/server';
import { makeTestCerts } from './helpers/certs.js';

const GRPC = { UNAVAILABLE: 14, CANCELLED: 1, DEADLINE_EXCEEDED: 4, UNAUTHENTICATED: 16, RESOURCE_EXHAUSTED: 8, INTERNAL: 13, NOT_FOUND: 5 };

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Connection', () => {
  let certs;
  before(() => {
    certs = makeTestCerts();
  });
  after(() => certs?.cleanup());

  it('connects to a plaintext server and calls WorkflowService', async () => {
    const server = await DevServer.start({ port: 0, longPollMs: 1000 });
    const connection = await Connection.connect({ address: server.address });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      assert.match(info.serverVersion, /duraflow/);
      assert.equal(info.capabilities.sdkMetadata, true);
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      assert.equal(ns.namespaceInfo.name, 'default');
    } finally {
      await connection.close();
      await server.stop();
    }
  });

  it('validates its options with messages naming the problem', () => {
    assert.throws(() => Connection.lazy({ address: 'no-port' }), /address must be "host:port"/);
    assert.throws(() => Connection.lazy('localhost:7233'), /ConnectionOptions must be an object, got string/);
    assert.throws(() => Connection.lazy({ apiKey: '' }), /apiKey must be a non-empty string/);
    assert.throws(() => Connection.lazy({ connectTimeout: -1 }), /connectTimeout must be a positive duration/);
    assert.throws(() => Connection.lazy({ tls: { clientCertPair: { crt: certs.clientCert } } }), /clientCertPair needs both crt and key/);
  });

  it('fails to connect to an address where nothing listens, within connectTimeout', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: '1s' }), (e) => {
      assert.ok(e instanceof ConnectionError, String(e));
      assert.match(e.message, new RegExp(`Failed to connect to 127.0.0.1:${port}`));
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
  });

  it('TLS with a private CA and serverNameOverride; mutual TLS with a client certificate', async () => {
    const tlsServer = await DevServer.start({ port: 0, tls: { cert: certs.serverCert, key: certs.serverKey } });
    const mtlsServer = await DevServer.start({ port: 0, tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
    const tls = await Connection.connect({
      address: `127.0.0.1:${tlsServer.port}`,
      tls: { serverRootCACertificate: certs.ca, serverNameOverride: 'localhost' },
    });
    const mtls = await Connection.connect({
      address: `localhost:${mtlsServer.port}`,
      tls: { serverRootCACertificate: certs.ca, clientCertPair: { crt: certs.clientCert, key: certs.clientKey } },
    });
    try {
      await tls.workflowService.getSystemInfo({});
      await mtls.workflowService.getSystemInfo({});
      await assert.rejects(
        Connection.connect({ address: `localhost:${mtlsServer.port}`, tls: { serverRootCACertificate: certs.ca }, connectTimeout: '2s' }),
        ConnectionError,
      );
    } finally {
      await tls.close();
      await mtls.close();
      await tlsServer.stop();
      await mtlsServer.stop();
    }
  });

  it('API key: sent as a bearer token (string or function), turns TLS on, can be replaced, and set per call (withApiKey)', async () => {
    const server = await DevServer.start({ port: 0, apiKey: 'k1', tls: { cert: certs.serverCert, key: certs.serverKey } });
    const address = `localhost:${server.port}`;
    try {
      const byString = await Connection.connect({ address, apiKey: 'k1', tls: { serverRootCACertificate: certs.ca } });
      let calls = 0;
      const byFunction = await Connection.connect({
        address,
        apiKey: () => (calls++, 'k1'),
        tls: { serverRootCACertificate: certs.ca },
      });
      await byFunction.workflowService.getSystemInfo({});
      assert.ok(calls >= 2);
      byString.setApiKey('wrong');
      await assert.rejects(byString.workflowService.getSystemInfo({}), (e) => e.code === GRPC.UNAUTHENTICATED && /invalid API key/.test(e.details));
      // withApiKey: the calls inside use the given key (and only those).
      const info = await byString.withApiKey('k1', () => byString.workflowService.getSystemInfo({}));
      assert.match(info.serverVersion, /duraflow/);
      await assert.rejects(byString.workflowService.getSystemInfo({}), (e) => e.code === GRPC.UNAUTHENTICATED);
      assert.throws(() => byString.withApiKey('', async () => {}), /withApiKey: apiKey must be a non-empty string/);
      await assert.rejects(
        Connection.connect({ address, tls: { serverRootCACertificate: certs.ca }, interceptors: [] }),
        (e) => e instanceof ConnectionError && /missing API key/.test(e.message),
      );
      await byString.close();
      await byFunction.close();
    } finally {
      await server.stop();
    }
  });

  it('wrong TLS credentials fail the connection check with a message naming the cause', async () => {
    const otherCa = makeTestCerts();
    const tlsServer = await DevServer.start({ port: 0, logLevel: 'error', tls: { cert: certs.serverCert, key: certs.serverKey } });
    const mtlsServer = await DevServer.start({ port: 0, logLevel: 'error', tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
    const connect = (port, tls) => Connection.connect({ address: `localhost:${port}`, tls, connectTimeout: '1s' });
    const rejection = async (promise) => promise.then(() => assert.fail('expected the connection to fail'), (e) => e);
    try {
      const wrongCa = await rejection(connect(tlsServer.port, { serverRootCACertificate: otherCa.ca }));
      assert.ok(wrongCa instanceof ConnectionError, String(wrongCa));
      assert.match(wrongCa.message, new RegExp(`^Failed to connect to localhost:${tlsServer.port}: .*UNAVAILABLE: .*(verify|certificate)`));
      assert.match(wrongCa.message, /the server certificate is not trusted: check tls\.serverRootCACertificate/);

      const wrongName = await rejection(connect(tlsServer.port, { serverRootCACertificate: certs.ca, serverNameOverride: 'wrong.example' }));
      assert.match(wrongName.message, /wrong\.example/);

      const noClientCert = await rejection(connect(mtlsServer.port, { serverRootCACertificate: certs.ca }));
      assert.ok(noClientCert instanceof ConnectionError);
      assert.match(noClientCert.message, /client certificate/);

      const wrongClientCert = await rejection(
        connect(mtlsServer.port, { serverRootCACertificate: certs.ca, clientCertPair: { crt: otherCa.clientCert, key: otherCa.clientKey } }),
      );
      assert.match(wrongClientCert.message, /^Failed to connect to .*(client certificate|certificate)/);

      const plaintext = await rejection(connect(tlsServer.port, undefined));
      assert.match(plaintext.message, /is the server expecting TLS\? set tls/);
      assert.ok(plaintext.cause, 'the gRPC error is kept as cause');
    } finally {
      await tlsServer.stop();
      await mtlsServer.stop();
      otherCa.cleanup();
    }
  });

  it('a wrong API key surfaces as UNAUTHENTICATED: ConnectionError on connect, ServiceError on a call', async () => {
    const server = await DevServer.start({ port: 0, logLevel: 'error', apiKey: 'right-key', tls: { cert: certs.serverCert, key: certs.serverKey } });
    const address = `localhost:${server.port}`;
    const tls = { serverRootCACertificate: certs.ca };
    try {
      await assert.rejects(Connection.connect({ address, apiKey: 'wrong-key', tls }), (e) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.equal(e.message, `Failed to connect to ${address}: UNAUTHENTICATED: invalid API key`);
        return true;
      });
      let key = 'wrong-key';
      const connection = Connection.lazy({ address, apiKey: () => key, tls });
      const client = new Client({ connection });
      await assert.rejects(client.workflow.start('greet', { taskQueue: 'q', workflowId: 'w' }), (e) => {
        assert.ok(e instanceof ServiceError, String(e));
        assert.equal(e.message, "StartWorkflowExecution for workflow 'w' failed: UNAUTHENTICATED: invalid API key");
        assert.equal(e.cause.code, GRPC.UNAUTHENTICATED);
        return true;
      });
      key = 'right-key'; // the function form is asked on every call
      await assert.rejects(client.workflow.getHandle('w').describe(), WorkflowNotFoundError);
      await connection.close();
    } finally {
      await server.stop();
    }
  });

  it('withDeadline ends a call at the deadline', async () => {
    // A TCP listener that never speaks HTTP/2: the call can only end by its deadline.
    const sockets = new Set();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const connection = Connection.lazy({ address: `127.0.0.1:${silent.address().port}`, interceptors: [] });
    try {
      const t0 = Date.now();
      await assert.rejects(
        connection.withDeadline(Date.now() + 300, () => connection.workflowService.getSystemInfo({})),
        (e) => e.code === GRPC.DEADLINE_EXCEEDED,
      );
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      await connection.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('withAbortSignal cancels calls; withMetadata nests', async () => {
    const server = await DevServer.start({ port: 0, longPollMs: 30_000 });
    const connection = await Connection.connect({ address: server.address, interceptors: [] });
    const poll = () => connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'nobody-home' } });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user gave up')), 200);
      await assert.rejects(connection.withAbortSignal(controller.signal, poll), (e) => e.code === GRPC.CANCELLED);
      await assert.rejects(connection.withAbortSignal(AbortSignal.abort(), poll), (e) => e.code === GRPC.CANCELLED);
      const nested = await connection.withMetadata({ 'x-a': '1' }, () =>
        connection.withMetadata({ 'x-b': '2' }, () => connection.workflowService.getSystemInfo({})),
      );
      assert.ok(nested.serverVersion);
    } finally {
      await connection.close();
      await server.stop();
    }
  });

  it('retries transient failures: a call made while the server restarts succeeds once it is back', async () => {
    const port = await freePort();
    let server = await DevServer.start({ port });
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      await server.stop();
      const call = connection.workflowService.describeNamespace({ namespace: 'default' });
      await new Promise((resolve) => setTimeout(resolve, 600));
      server = await DevServer.start({ port });
      const ns = await call;
      assert.equal(ns.namespaceInfo.name, 'default');
      await assert.rejects(connection.workflowService.describeNamespace({ namespace: 'nope' }), (e) => e.code === GRPC.NOT_FOUND);
    } finally {
      await connection.close();
      await server.stop();
    }
  });

  it('the default retry policy: transient codes only, exponential backoff with jitter, 10 attempts', () => {
    assert.equal(isRetryableError({ code: GRPC.UNAVAILABLE, details: '' }), true);
    assert.equal(isRetryableError({ code: GRPC.RESOURCE_EXHAUSTED, details: '' }), true);
    assert.equal(isRetryableError({ code: GRPC.NOT_FOUND, details: '' }), false);
    assert.equal(isRetryableError({ code: GRPC.INTERNAL, details: 'Received RST_STREAM with code 2' }), true);
    assert.equal(isRetryableError({ code: GRPC.INTERNAL, details: 'boom' }), false);
    const o = defaultGrpcRetryOptions();
    const unavailable = { code: GRPC.UNAVAILABLE, details: '' };
    assert.equal(o.retryableDecider(9, unavailable), true);
    assert.equal(o.retryableDecider(10, unavailable), false);
    const d1 = o.delayFunction(1, unavailable);
    assert.ok(d1 >= 170 * 0.8 && d1 <= 170 * 1.2, `first delay ${d1}`);
    assert.ok(o.delayFunction(1, { code: GRPC.RESOURCE_EXHAUSTED, details: '' }) >= 1700 * 0.8);
    assert.ok(o.delayFunction(20, unavailable) <= 5000);
  });
});
