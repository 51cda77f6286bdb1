import type {WorkerConfig} from '../core/config/schema.js'

/**
 * Stops a partition when failures are systematic rather than rare: N failures in a row, or a failure rate above
 * a threshold once enough firms were seen, or any failure when failures are not allowed.
 */
export class CircuitBreaker {
  private consecutive = 0
  private processed = 0
  private failed = 0
  /** Why the breaker tripped; undefined while it holds. */
  reason?: string

  constructor(private readonly config: WorkerConfig) {}

  /** Records a firm's outcome and returns true when the breaker trips. */
  record(failure: {kind: string; message: string} | undefined): boolean {
    this.processed++
    if (!failure) {
      this.consecutive = 0
      return false
    }
    this.failed++
    this.consecutive++
    if (!this.config.allowFailures) {
      this.reason = `a firm failed (${failure.kind}: ${failure.message}) and worker.allowFailures is false`
    } else if (this.consecutive >= this.config.breakerConsecutiveFailures) {
      this.reason = `${this.consecutive} firms failed in a row (worker.breakerConsecutiveFailures = ${this.config.breakerConsecutiveFailures}); last: ${failure.kind}: ${failure.message}`
    } else if (this.processed >= this.config.breakerMinFirms && this.failed / this.processed > this.config.breakerFailureRate) {
      this.reason = `${this.failed} of ${this.processed} firms failed, above worker.breakerFailureRate = ${this.config.breakerFailureRate}; last: ${failure.kind}: ${failure.message}`
    }
    return this.reason !== undefined
  }

  /** Trips the breaker at once on an error that no further firm can escape (storage unwritable, model missing). */
  tripCritical(reason: string): void {
    this.reason = reason
  }
}
