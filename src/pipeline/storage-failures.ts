import type {WorkerConfig} from '../core/config/schema.js'
import {errorMessage, isUserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'
import {isTransientError, withRetry} from '../core/retry.js'
import type {Clock} from '../base/clock.js'
import {classifyEdgeError, explainEdgeError} from '../base/edge-errors.js'
import {CriticalError} from './firm-error.js'

/** Error codes of storage that will not take writes however often it is asked. */
const unwritableCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'AccessDenied', 'NoSuchBucket'])

/** True when storage refuses writes for good (permissions, full disk, missing bucket). */
export function isUnwritableStorage(error: unknown): boolean {
  const candidate = error as {code?: unknown; name?: unknown}
  return (typeof candidate?.code === 'string' && unwritableCodes.has(candidate.code)) || (typeof candidate?.name === 'string' && unwritableCodes.has(candidate.name))
}

/**
 * Commits a chunk, retrying transient storage errors with backoff and jitter for worker.commitRetrySeconds (a
 * storage blip of tens of seconds passes). Storage that refuses writes for good becomes a CriticalError (the breaker
 * trips, exit 3); a transient error that outlasts the budget becomes exit 75 saying what was retried.
 */
export async function commitWithRetry(commit: () => Promise<void>, config: WorkerConfig, log: (line: string) => void, clock?: Clock): Promise<void> {
  let tries = 1
  try {
    await withRetry(commit, {
      attempts: Number.MAX_SAFE_INTEGER,
      baseDelayMs: config.retryBaseMs,
      maxDelayMs: 10_000,
      budgetMs: config.commitRetrySeconds * 1000,
      clock,
      onRetry: (error, attempt, delay) => {
        tries = attempt + 1
        log(`ftm worker: commit failed (${errorMessage(error)}), try ${attempt + 1} in ${delay} ms`)
      },
    })
  } catch (error) {
    if (isUnwritableStorage(error)) throw new CriticalError(`storage is not writable: ${errorMessage(error)}`, {cause: error})
    const retried = `${tries} tries over up to ${config.commitRetrySeconds} s (worker.commitRetrySeconds)`
    throw explainEdgeError(error, {action: 'commit a checkpoint to', location: 'storage', retried}) ?? error
  }
}

/** The exit a worker takes for an error that ended its partition. */
export function classifyWorkerError(error: unknown): {exitCode: number; phase: 'failed' | 'tripped'} {
  if (error instanceof CriticalError) return {exitCode: ExitCode.breakerTripped, phase: 'tripped'}
  if (isUserError(error)) return {exitCode: error.exitCode, phase: 'failed'} // usage (2), or transient (75) for unreachable services
  if (classifyEdgeError(error).kind === 'user') return {exitCode: ExitCode.usage, phase: 'failed'}
  if (isTransientError(error)) return {exitCode: ExitCode.transient, phase: 'failed'}
  return {exitCode: ExitCode.failed, phase: 'failed'}
}
