// `duraflow server start-dev` flags → DevServerOptions: the dynamic config keys the server acts on,
// and the ones it accepts with or without a warning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../dist/cli/flags.js';
import { START_DEV_HELP, startDevOptions } from '../../../dist/cli/start-dev.js';

function parse(...argv) {
  const warnings = [];
  return { options: startDevOptions(argv, (m) => warnings.push(m)), warnings };
}

describe('start-dev dynamic config', () => {
  it('leaves eager activity dispatch to the server default unless system.enableActivityEagerExecution is given', () => {
    assert.equal(parse().options.eagerActivities, undefined);
    assert.equal(parse('--dynamic-config-value', 'system.enableActivityEagerExecution=false').options.eagerActivities, false);
    const on = parse('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
    assert.equal(on.options.eagerActivities, true);
    assert.deepEqual(on.warnings, []);
  });

  it('rejects a value that is not true or false, naming the key', () => {
    assert.throws(
      () => parse('--dynamic-config-value', 'system.enableActivityEagerExecution=yes'),
      (err) => err instanceof CliError && /system\.enableActivityEagerExecution must be true or false, got "yes"/.test(err.message),
    );
  });

  it('accepts known keys silently and warns about unknown ones', () => {
    const { warnings } = parse('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true', '--dynamic-config-value', 'made.up=1');
    assert.deepEqual(warnings, ['dynamic config key made.up is not used by the duraflow dev server; ignoring it']);
  });
});

describe('start-dev --help', () => {
  it('asks for the help instead of starting a server, whatever else is on the line', () => {
    assert.equal(startDevOptions(['--help'], () => {}), 'help');
    assert.equal(startDevOptions(['--port', '0', '-h'], () => {}), 'help');
  });

  it('the help names every flag the command takes', () => {
    for (const flag of ['--port', '--ip', '--namespace', '--db-filename', '--search-attribute', '--dynamic-config-value', '--metrics-port', '--log-level', '--log-format', '--output', '--tls-cert', '--tls-key', '--tls-client-ca', '--api-key', '--headless', '--ui-port', '--ui-ip', '--http-port', '--log-config', '--help']) {
      assert.ok(START_DEV_HELP.includes(flag), `${flag} missing from the help`);
    }
  });
});

describe('start-dev web UI flags', () => {
  const ui = (...argv) => {
    const { uiPort, uiIp, uiPortDefaulted } = parse(...argv).options;
    return { uiPort, uiIp, uiPortDefaulted };
  };

  it('serves the UI on the gRPC port + 1000, as temporal server start-dev does; a free port with --port 0', () => {
    assert.deepEqual(ui(), { uiPort: 8233, uiIp: undefined, uiPortDefaulted: true });
    assert.deepEqual(ui('--port', '7400'), { uiPort: 8400, uiIp: undefined, uiPortDefaulted: true });
    assert.deepEqual(ui('--port', '0'), { uiPort: 0, uiIp: undefined, uiPortDefaulted: true });
    assert.deepEqual(ui('--port', '65000'), { uiPort: 0, uiIp: undefined, uiPortDefaulted: true });
  });

  it('--ui-port and --ui-ip choose where; --headless turns it off', () => {
    assert.deepEqual(ui('--ui-port', '9000', '--ui-ip', 'localhost'), { uiPort: 9000, uiIp: '127.0.0.1', uiPortDefaulted: false });
    assert.deepEqual(ui('--headless', '--ui-port', '9000'), { uiPort: undefined, uiIp: undefined, uiPortDefaulted: false });
    assert.throws(() => parse('--ui-port', 'x'), (err) => err instanceof CliError && /--ui-port must be a port number, got "x"/.test(err.message));
  });
});
