// InternalFlags: Core's per-run behaviour flags, learned from history and recorded on new tasks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreFlag, InternalFlags } from '../../../dist/worker/workflow/internal-flags.js';

describe('InternalFlags', () => {
  it('applies a flag on replay only if history recorded it', () => {
    const flags = new InternalFlags(true);
    assert.equal(flags.tryUse(CoreFlag.MoveTerminalCommands, false), false);
    flags.addFromCompleted({ sdkMetadata: { coreUsedFlags: [3, 1, 3], langUsedFlags: [2, 1] } });
    assert.equal(flags.tryUse(CoreFlag.MoveTerminalCommands, false), true);
    assert.equal(flags.tryUse(CoreFlag.UpsertSearchAttributeOnPatch, false), false);
    assert.deepEqual(flags.langFlags(), [1, 2], 'lang flags come back sorted, without duplicates');
  });

  it('records the flags a new task used, once, in ascending order', () => {
    const flags = new InternalFlags(true);
    flags.addFromCompleted({ sdkMetadata: { coreUsedFlags: [1] } });
    assert.equal(flags.tryUse(CoreFlag.MoveTerminalCommands, true), true);
    flags.writeAllKnown();
    assert.deepEqual(flags.gatherForCompletion(), { coreUsedFlags: [2, 3] }, 'flag 1 was already in history');
    assert.deepEqual(flags.gatherForCompletion(), {}, 'nothing new since the last completion');
    flags.writeAllKnown();
    assert.deepEqual(flags.gatherForCompletion(), {}, 'every known flag is recorded now');
    assert.equal(flags.tryUse(CoreFlag.UpsertSearchAttributeOnPatch, false), true, 'recorded flags apply on replay');
  });

  it('uses and records nothing when the server cannot record sdkMetadata', () => {
    const flags = new InternalFlags(false);
    assert.equal(flags.tryUse(CoreFlag.IdAndTypeDeterminismChecks, true), false);
    flags.writeAllKnown();
    assert.deepEqual(flags.gatherForCompletion(), {});
    assert.deepEqual(flags.langFlags(), []);
  });
});
