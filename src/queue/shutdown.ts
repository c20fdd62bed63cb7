/**
 * Graceful shutdown on SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): the first signal
 * runs `stop` once; a second one while stopping is ignored, so a double Ctrl-C cannot cut a
 * database write in half. Resolves with the signal's name when `stop` has finished.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): Promise<NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    let started = false;
    const handler = (signal: NodeJS.Signals) => {
      if (started) return;
      started = true;
      stop(signal).then(() => {
        for (const s of signals) process.off(s, handler);
        resolve(signal);
      }, reject);
    };
    for (const s of signals) process.on(s, handler);
  });
}
