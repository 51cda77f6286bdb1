import {type Clock, systemClock} from '../base/clock.js'

export interface PollOptions {
  /** Milliseconds between checks; raised to `minimumInterval`. */
  interval: number
  minimumInterval?: number
  /** Give up after this many milliseconds (0: never). */
  timeout?: number
  signal?: AbortSignal
  clock?: Clock
}

export type PollOutcome = 'done' | 'aborted' | 'timeout'

/** The one polling loop: calls `check` until it says done, the signal aborts or the timeout passes. */
export async function poll(check: () => Promise<boolean>, options: PollOptions): Promise<PollOutcome> {
  const clock = options.clock ?? systemClock
  const interval = Math.max(options.interval, options.minimumInterval ?? 100)
  const deadline = options.timeout ? clock.now() + options.timeout : Number.POSITIVE_INFINITY
  for (;;) {
    if (options.signal?.aborted) return 'aborted'
    if (await check()) return 'done'
    if (options.signal?.aborted) return 'aborted'
    if (clock.now() >= deadline) return 'timeout'
    await clock.sleep(Math.min(interval, Math.max(0, deadline - clock.now())), options.signal)
  }
}
