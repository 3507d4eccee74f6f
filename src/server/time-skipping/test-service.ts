/** temporal.api.testservice.v1.TestService: time-skipping control for tests. */
import { msFromDuration, msFromTs, tsFromMs, type ProtoTypes } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import type { TimeSkipper } from './time-skipper.js';

type ts = ProtoTypes.temporal.api.testservice.v1.ISleepRequest;
type ISleepUntil = ProtoTypes.temporal.api.testservice.v1.ISleepUntilRequest;

/** The latest time a protobuf Timestamp can hold (9999-12-31T23:59:59.999Z): the clock never passes it. */
const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/** `target` if server time may move there; INVALID_ARGUMENT past the Timestamp range. */
function reachable(target: number): number {
  if (!(target <= MAX_TIMESTAMP_MS)) {
    throw invalidArgument('the sleep would move server time past 9999-12-31T23:59:59.999Z, the latest time a Timestamp can hold');
  }
  return target;
}

export function testServiceHandlers(skipper: TimeSkipper) {
  const duration = (req: ts): number => {
    const ms = msFromDuration(req.duration);
    if (ms === undefined || ms < 0) throw invalidArgument('Duration is not set or negative on request.');
    return ms;
  };
  return {
    LockTimeSkipping: () => {
      skipper.lock();
      return {};
    },
    UnlockTimeSkipping: () => {
      skipper.unlock();
      return {};
    },
    Sleep: async (req: ts) => {
      await skipper.sleepUntil(reachable(skipper.clock.now() + duration(req)));
      return {};
    },
    SleepUntil: async (req: ISleepUntil) => {
      const target = msFromTs(req.timestamp);
      if (target === undefined) throw invalidArgument('Timestamp is not set on request.');
      await skipper.sleepUntil(reachable(target));
      return {};
    },
    UnlockTimeSkippingWithSleep: async (req: ts) => {
      const target = reachable(skipper.clock.now() + duration(req));
      skipper.unlock();
      try {
        await skipper.sleepUntil(target);
      } finally {
        skipper.lock();
      }
      return {};
    },
    GetCurrentTime: () => ({ time: tsFromMs(skipper.clock.now()) }),
  };
}
