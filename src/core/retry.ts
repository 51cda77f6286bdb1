import {type Clock, systemClock} from '../base/clock.js'

/** Error codes of failures that may pass by themselves: the network, a busy file, a throttled service. */
const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EBUSY', 'EMFILE', 'ENFILE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'])

/** True for an error worth retrying: network and throttling errors, HTTP 429 and 5xx, SDK errors marked retryable. */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const candidate = error as {code?: unknown; name?: unknown; $retryable?: unknown; $metadata?: {httpStatusCode?: number}; statusCode?: number; cause?: unknown}
  if (typeof candidate.code === 'string' && transientCodes.has(candidate.code)) return true
  if (candidate.$retryable) return true
  if (candidate.name === 'TimeoutError' || candidate.name === 'ThrottlingException') return true
  const status = candidate.$metadata?.httpStatusCode ?? candidate.statusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  return candidate.cause !== undefined && candidate.cause !== error && isTransientError(candidate.cause)
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number
  /** The first wait; each next one doubles, with full jitter, up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs?: number
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
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= options.attempts || !isRetryable(error) || options.signal?.aborted) throw error
      const ceiling = Math.min(options.maxDelayMs ?? 30_000, options.baseDelayMs * 2 ** (attempt - 1))
      const delay = Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2))
      options.onRetry?.(error, attempt, delay)
      await clock.sleep(delay, options.signal)
    }
  }
}
