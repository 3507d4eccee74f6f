/**
 * Graceful shutdown on process signals while a worker runs: the first SIGINT / SIGTERM (or any of
 * the configured signals) starts the worker's shutdown. Installing a listener replaces Node's default
 * "exit now" behaviour for that signal only while the worker runs.
 */

/** Calls `shutdown` on any of `signals`; returns a function that removes the listeners. */
export function installShutdownSignals(signals: readonly NodeJS.Signals[], shutdown: () => void): () => void {
  const onSignal = (): void => shutdown();
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
