/** The default identity clients send with state-changing calls. */
import os from 'node:os';

/** Default client identity: `<pid>@<hostname>`, as the official SDK sends it. */
export function defaultIdentity(): string {
  return `${process.pid}@${os.hostname()}`;
}
