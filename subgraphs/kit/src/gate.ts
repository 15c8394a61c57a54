/** Raised when a turn at the gate was not granted before its deadline. */
export class GateTimeout extends Error {
  override readonly name = 'GateTimeout';
}

export interface Gate {
  /** Runs `work` alone, once every earlier caller is done; refuses it after `waitMs` in the queue. */
  run<T>(work: () => Promise<T>, waitMs?: number): Promise<T>;
  /** Callers waiting for their turn. */
  readonly waiting: number;
}

/** A first-in, first-out mutex whose waiters can give up: one stuck holder cannot hold everyone forever. */
export function createGate(): Gate {
  let busy = false;
  const queue: { grant: () => void; abandoned: boolean }[] = [];

  const release = () => {
    let next = queue.shift();
    while (next?.abandoned) next = queue.shift();
    if (next) next.grant();
    else busy = false;
  };

  const acquire = (waitMs?: number) =>
    new Promise<void>((resolve, reject) => {
      if (!busy) {
        busy = true;
        return resolve();
      }
      const entry = { grant: () => {}, abandoned: false };
      const timer =
        waitMs === undefined
          ? undefined
          : setTimeout(() => {
              entry.abandoned = true;
              reject(new GateTimeout(`no turn within ${waitMs} ms`));
            }, waitMs);
      entry.grant = () => {
        clearTimeout(timer);
        resolve();
      };
      queue.push(entry);
    });

  return {
    async run(work, waitMs) {
      await acquire(waitMs);
      try {
        return await work();
      } finally {
        release();
      }
    },
    get waiting() {
      return queue.filter((entry) => !entry.abandoned).length;
    },
  };
}
