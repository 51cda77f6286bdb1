import {type Clock, systemClock} from '../base/clock.js'
import {isTransientEdgeError} from '../base/edge-errors.js'

/** True for an error worth retrying: the one edge classification (src/base/edge-errors.ts) says it is transient. */
export const isTransientError = isTransientEdgeError

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number
  /** The first wait; each next one doubles, with full jitter, up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs?: number
  /** Milliseconds of retrying in all: no retry starts whose wait would end past it (default: no budget). */
  budgetMs?: number
  isRetryable?: (error: unknown) => boolean
  signal?: AbortSignal
  clock?: Clock
  random?: () => number
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

/** Calls `work` until it succeeds, retrying retryable errors with exponential backoff and jitter. */
export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock
  const isRetryable = options.isRetryable ?? isTransientError
  const deadline = options.budgetMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + options.budgetMs
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= options.attempts || !isRetryable(error) || options.signal?.aborted) throw error
      const ceiling = Math.min(options.maxDelayMs ?? 30_000, options.baseDelayMs * 2 ** (attempt - 1))
      const delay = Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2))
      if (clock.now() + delay > deadline) throw error
      options.onRetry?.(error, attempt, delay)
      await clock.sleep(delay, options.signal)
    }
  }
}
