import {type Clock, systemClock} from '../../base/clock.js'

/**
 * Spaces request starts evenly so that at most `requestsPerMinute` start in any minute: each start is at least
 * 60000 / rpm ms after the previous one. Even spacing, rather than bursts, keeps a shared server's queue short.
 */
export class RateLimiter {
  private nextStart = Number.NEGATIVE_INFINITY
  private readonly interval: number

  constructor(
    requestsPerMinute: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.interval = requestsPerMinute > 0 ? 60_000 / requestsPerMinute : 0
  }

  /** Waits for this request's turn. Turns are handed out in call order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.interval === 0) return
    const now = this.clock.now()
    const start = Math.max(now, this.nextStart)
    this.nextStart = start + this.interval
    if (start > now) {
      await this.clock.sleep(start - now, signal)
      signal?.throwIfAborted()
    }
  }
}
