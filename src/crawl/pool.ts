/** Run a growing set of tasks with at most `concurrency` in flight; tasks may add tasks. */
export async function drain<T>(initial: readonly T[], concurrency: number, work: (task: T, push: (t: T) => void) => Promise<void>): Promise<void> {
  const queue = [...initial];
  let active = 0;
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const next = () => {
      if (failed) return;
      if (queue.length === 0 && active === 0) return resolve();
      while (active < Math.max(1, concurrency) && queue.length > 0) {
        const t = queue.shift()!;
        active++;
        work(t, (n) => queue.push(n)).then(
          () => {
            active--;
            next();
          },
          (err) => {
            failed = true;
            reject(err);
          },
        );
      }
    };
    next();
  });
}
