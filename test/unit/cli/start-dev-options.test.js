// `duraflow server start-dev` flags → DevServerOptions: the dynamic config keys the server acts on,
// and the ones it accepts with or without a warning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../dist/cli/flags.js';
import { startDevOptions } from '../../../dist/cli/start-dev.js';

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
