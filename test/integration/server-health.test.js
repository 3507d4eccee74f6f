// The standard gRPC health service on the dev server, asked through duraflow's client
// (`connection.healthService`, as the official client has it) and, for Watch, a raw grpc-js stream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import { Connection } from 'duraflow/client';
import { grpc, healthServiceDefinition } from 'duraflow/proto';
import { DevServer } from 'duraflow/server';

const { ServingStatus } = grpc.health.v1.HealthCheckResponse;

describe('dev server: gRPC health', () => {
  let server;
  let connection;
  before(async () => {
    server = await DevServer.start({ port: 0, apiKey: 'sesame' });
    connection = await Connection.connect({ address: server.address, apiKey: 'sesame', tls: false });
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('Check: SERVING for the server and its API services, NOT_FOUND for others; no API key needed', async () => {
    assert.equal((await connection.healthService.check({})).status, ServingStatus.SERVING);
    const workflowService = await connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' });
    assert.equal(workflowService.status, ServingStatus.SERVING);
    await assert.rejects(connection.healthService.check({ service: 'no.such.Service' }), (err) => err.code === status.NOT_FOUND);
    const keyless = await Connection.connect({ address: server.address, connectTimeout: '1s' }).catch((e) => e);
    assert.ok(keyless instanceof Error, 'the API needs the key…');
    const Health = makeGenericClientConstructor(healthServiceDefinition, 'Health');
    const raw = new Health(server.address, credentials.createInsecure());
    const answer = await new Promise((resolve, reject) => raw.Check({ service: '' }, (error, r) => (error ? reject(error) : resolve(r))));
    assert.equal(answer.status, ServingStatus.SERVING, '…the health check does not');
    raw.close();
  });

  it('Watch: streams SERVING, then NOT_SERVING when the server stops', async () => {
    const other = await DevServer.start({ port: 0 });
    const Health = makeGenericClientConstructor(healthServiceDefinition, 'Health');
    const raw = new Health(other.address, credentials.createInsecure());
    const seen = [];
    const ended = new Promise((resolve) => {
      const stream = raw.Watch({ service: '' });
      stream.on('data', (r) => seen.push(r.status));
      stream.on('end', resolve);
      stream.on('error', resolve);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(seen, [ServingStatus.SERVING]);
    await other.stop();
    await ended;
    assert.deepEqual(seen, [ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    raw.close();
  });
});
