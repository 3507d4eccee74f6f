/**
 * `duraflow schedule …`: create and manage schedules (workflows started on calendars, intervals
 * and cron expressions).
 *
 * @example
 * ```ts
 * await runGroup(SCHEDULE_GROUP, ['list', '-o', 'json']);
 * ```
 */
import { CLIENT_FLAGS } from './client-flags.js';
import type { CommandGroup } from './command.js';
import {
  SCHEDULE_BACKFILL,
  SCHEDULE_DELETE,
  SCHEDULE_DESCRIBE,
  SCHEDULE_LIST,
  SCHEDULE_PAUSE,
  SCHEDULE_TOGGLE,
  SCHEDULE_TRIGGER,
  SCHEDULE_UNPAUSE,
} from './schedule-commands.js';
import { SCHEDULE_CREATE } from './schedule-create.js';

export const SCHEDULE_GROUP: CommandGroup = {
  name: 'schedule',
  summary: 'Create, list and operate on schedules',
  commands: [
    SCHEDULE_CREATE,
    SCHEDULE_LIST,
    SCHEDULE_DESCRIBE,
    SCHEDULE_PAUSE,
    SCHEDULE_UNPAUSE,
    SCHEDULE_TOGGLE,
    SCHEDULE_TRIGGER,
    SCHEDULE_BACKFILL,
    SCHEDULE_DELETE,
  ],
  sharedFlags: CLIENT_FLAGS,
  sharedFlagsTitle: 'Connection and output flags (all commands)',
};
