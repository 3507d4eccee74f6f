// The dev server's TLS, mutual TLS and API-key authentication, over raw gRPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, makeGenericClientConstructor, Metadata } from '@grpc/grpc-js';
import { DevServer } from 'duraflow/server';
import { workflowServiceDefinition } from 'duraflow/proto';
import { makeTestCerts } from './helpers/certs.js';
import { call, expectRpcError, status } from './helpers/rpc.js';

const Client = makeGenericClientConstructor(workflowServiceDefinition, 'WorkflowService');

function bearer(key) {
  const m = new Metadata();
  m.set('authorization', `Bearer ${key}`);
  return m;
}

describe('dev server authentication', () => {
  let certs;
  before(() => {
    certs = makeTestCerts();
  });
  after(() => certs?.cleanup());

  it('serves TLS: a client trusting the test CA connects, a plaintext client cannot', async () => {
    const server = await DevServer.start({ port: 0, tls: { cert: certs.serverCert, key: certs.serverKey } });
    const tls = new Client(`localhost:${server.port}`, credentials.createSsl(certs.ca));
    const plain = new Client(`localhost:${server.port}`, credentials.createInsecure());
    try {
      const info = await call(tls, 'GetSystemInfo', {});
      assert.match(info.serverVersion, /duraflow/);
      await assert.rejects(call(plain, 'GetSystemInfo', {}, { deadlineMs: 2000 }), (e) => e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED);
    } finally {
      tls.close();
      plain.close();
      await server.stop();
    }
  });

  it('mutual TLS: a client certificate signed by the CA is required', async () => {
    const server = await DevServer.start({
      port: 0,
      tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca },
    });
    const withCert = new Client(`localhost:${server.port}`, credentials.createSsl(certs.ca, certs.clientKey, certs.clientCert));
    const withoutCert = new Client(`localhost:${server.port}`, credentials.createSsl(certs.ca));
    try {
      await call(withCert, 'GetSystemInfo', {});
      await assert.rejects(call(withoutCert, 'GetSystemInfo', {}, { deadlineMs: 2000 }), (e) => e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED);
    } finally {
      withCert.close();
      withoutCert.close();
      await server.stop();
    }
  });

  it('API key: calls without the bearer header, or with a wrong key, get UNAUTHENTICATED', async () => {
    const server = await DevServer.start({ port: 0, apiKey: 's3cret' });
    const client = new Client(server.address, credentials.createInsecure());
    try {
      await expectRpcError(call(client, 'GetSystemInfo', {}), status.UNAUTHENTICATED, /missing API key/);
      await expectRpcError(call(client, 'GetSystemInfo', {}, { metadata: bearer('nope') }), status.UNAUTHENTICATED, /invalid API key/);
      const info = await call(client, 'GetSystemInfo', {}, { metadata: bearer('s3cret') });
      assert.match(info.serverVersion, /duraflow/);
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('rejects incomplete TLS options with a clear error', async () => {
    await assert.rejects(DevServer.start({ port: 0, tls: { cert: certs.serverCert } }), /tls needs both cert and key/);
    await assert.rejects(DevServer.start({ port: 0, apiKey: '  ' }), /apiKey must be a non-empty string/);
  });
});
