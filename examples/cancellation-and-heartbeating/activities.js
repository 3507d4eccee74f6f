import { Context } from 'duraflow/activity';

export const progress = { copied: 0, cleanedUp: false };

/** Copies files one by one, heartbeating progress; a cancellation arrives through the heartbeat. */
export async function copyFiles(count) {
  const ctx = Context.current();
  const start = ctx.info.heartbeatDetails ?? 0; // resume where a previous attempt stopped
  for (let i = start; i < count; i++) {
    await ctx.sleep(20); // throws CancelledFailure once the workflow cancels this activity
    progress.copied = i + 1;
    ctx.heartbeat(i + 1);
  }
  return count;
}

export async function cleanup() {
  progress.cleanedUp = true;
}
