// One dev server (in memory, port 0), a Connection and a Client for a describe block: started before
// its tests, closed after them. Not a test file; public subpaths only.
import { after, before } from 'node:test';
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';

/**
 * Registers the block's before/after hooks; the returned object's `server`, `connection` and
 * `client` are set once the tests run.
 */
export function devServerSuite(serverOptions = {}) {
  const suite = { server: undefined, connection: undefined, client: undefined };
  before(async () => {
    suite.server = await DevServer.start({ port: 0, logLevel: 'error', ...serverOptions });
    suite.connection = await Connection.connect({ address: suite.server.address });
    suite.client = new Client({ connection: suite.connection });
  });
  after(async () => {
    await suite.connection?.close();
    await suite.server?.stop();
  });
  return suite;
}
