/** Every HTTP request gives up after this long, its body included; the run as a whole ends by wait-timeout plus this. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The run's time budget: one abort signal every request and wait listens to, so no stall can outlast it. */
export class BudgetExpiredError extends Error {
  override readonly name = 'BudgetExpiredError';
}

export class Budget {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(totalMs: number) {
    this.timer = setTimeout(() => this.controller.abort(new BudgetExpiredError(`the run used its ${Math.round(totalMs / 1000)} s time budget`)), totalMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The promise, or a BudgetExpiredError as soon as the budget runs out, whichever comes first. */
  within<T>(promise: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Sleeps, but wakes the moment the budget runs out. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.signal;
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
