// The workflow side of eager activity dispatch: which ScheduleActivityTask commands keep asking for
// eager execution before a completion is sent, and what happens to the reserved slots afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { temporal } from '../../../dist/proto/index.js';
import {
  MAX_EAGER_ACTIVITY_RESERVATIONS_PER_WORKFLOW_TASK as MAX,
  reserveEagerActivities,
  settleEagerActivities,
} from '../../../dist/worker/eager-activities.js';

const { CommandType } = temporal.api.enums.v1;

const schedule = (id, requestEagerExecution = true) => ({
  commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
  scheduleActivityTaskCommandAttributes: { activityId: id, activityType: { name: 'a' }, requestEagerExecution },
});
const timer = { commandType: CommandType.COMMAND_TYPE_START_TIMER, startTimerCommandAttributes: { timerId: '1' } };
const eagerFlags = (commands) => commands.map((c) => c.scheduleActivityTaskCommandAttributes?.requestEagerExecution);

/** Slots with `free` reservations available, recording what happens to them. */
function fakeSlots(free) {
  const slots = {
    free,
    executed: [],
    released: 0,
    tryReserveEagerSlot: () => (slots.free > 0 ? (slots.free--, true) : false),
    releaseEagerSlots: (count) => (slots.released += count),
    executeEager: (task) => slots.executed.push(task.activityId),
  };
  return slots;
}

describe('reserveEagerActivities', () => {
  it('keeps the request for at most MAX commands with a reserved slot and withdraws it from the rest', () => {
    const commands = [timer, schedule('1'), schedule('2', false), schedule('3'), schedule('4'), schedule('5')];
    const slots = fakeSlots(10);
    const { commands: sent, reserved } = reserveEagerActivities(commands, slots);
    assert.equal(MAX, 3);
    assert.equal(reserved, 3);
    assert.deepEqual(eagerFlags(sent), [undefined, true, false, true, true, false]);
    assert.deepEqual(eagerFlags(commands), [undefined, true, false, true, true, true], 'the original commands are not changed');
    assert.equal(sent[0], timer);
  });

  it('withdraws requests when no slot is free, and all of them without an activity side', () => {
    const commands = [schedule('1'), schedule('2')];
    const one = reserveEagerActivities(commands, fakeSlots(1));
    assert.equal(one.reserved, 1);
    assert.deepEqual(eagerFlags(one.commands), [true, false]);
    const none = reserveEagerActivities(commands, undefined);
    assert.equal(none.reserved, 0);
    assert.deepEqual(eagerFlags(none.commands), [false, false]);
  });

  it('takes the worker\'s maxEagerActivityReservationsPerWorkflowTask; 0 withdraws every request', () => {
    const commands = [schedule('1'), schedule('2'), schedule('3')];
    const one = reserveEagerActivities(commands, fakeSlots(10), 1);
    assert.equal(one.reserved, 1);
    assert.deepEqual(eagerFlags(one.commands), [true, false, false]);
    const none = reserveEagerActivities(commands, fakeSlots(10), 0);
    assert.equal(none.reserved, 0);
    assert.deepEqual(eagerFlags(none.commands), [false, false, false]);
  });

  it('returns the same array when nothing changes', () => {
    const commands = [timer, schedule('1', false)];
    assert.equal(reserveEagerActivities(commands, fakeSlots(5)).commands, commands);
  });
});

describe('settleEagerActivities', () => {
  it('runs the returned tasks and releases the reservations left over', () => {
    const slots = fakeSlots(0);
    settleEagerActivities(slots, 3, [{ activityId: 'x' }]);
    assert.deepEqual(slots.executed, ['x']);
    assert.equal(slots.released, 2);
  });

  it('releases every reservation when the completion failed', () => {
    const slots = fakeSlots(0);
    settleEagerActivities(slots, 2, undefined);
    assert.deepEqual(slots.executed, []);
    assert.equal(slots.released, 2);
  });
});
