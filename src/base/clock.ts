/** Time, injectable so that waits (the polling loop, retries, the naming stage's limits) are tested without waiting. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number
  /**
   * Resolves after `milliseconds`, or early once the signal aborts: callers that must stop on abort check the
   * signal after it (the poll loop returns 'aborted', the naming stage throws the signal's reason).
   */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>
}

/** The real clock: performance.now and timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (milliseconds, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const timer = setTimeout(done, Math.max(0, milliseconds))
      function done(): void {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      signal?.addEventListener('abort', done, {once: true})
    }),
}
