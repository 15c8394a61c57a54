/**
 * Runs `shutdown` once, on the first SIGTERM or SIGINT. Later signals are expected, not a reason to
 * stop differently: a SIGTERM to `npm run start:<service>`'s process group reaches the service
 * directly and again through npm, which forwards it; Ctrl-C in a terminal does the same with
 * SIGINT. The handlers stay installed so a second signal cannot fall back to Node's default
 * (exit by signal, mid-drain), and it neither restarts nor interrupts the drain under way.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void> | void): void {
  let started = false;
  const handle = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutdown(signal);
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
