import type {WorkerConfig} from '../core/config/schema.js'
import {errorMessage, isUserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'
import {isTransientError, withRetry} from '../core/retry.js'
import {CriticalError} from './firm-error.js'

/** Error codes of storage that will not take writes however often it is asked. */
const unwritableCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'AccessDenied', 'NoSuchBucket'])

/** True when storage refuses writes for good (permissions, full disk, missing bucket). */
export function isUnwritableStorage(error: unknown): boolean {
  const candidate = error as {code?: unknown; name?: unknown}
  return (typeof candidate?.code === 'string' && unwritableCodes.has(candidate.code)) || (typeof candidate?.name === 'string' && unwritableCodes.has(candidate.name))
}

/**
 * Commits a chunk, retrying transient storage errors with backoff. Storage that refuses writes for good becomes a
 * CriticalError (the breaker trips, exit 3); a transient error that outlasts the retries is rethrown (exit 75).
 */
export async function commitWithRetry(commit: () => Promise<void>, config: WorkerConfig, log: (line: string) => void): Promise<void> {
  try {
    await withRetry(commit, {
      attempts: config.retryAttempts,
      baseDelayMs: config.retryBaseMs,
      onRetry: (error, attempt, delay) => log(`ftm worker: commit failed (${errorMessage(error)}), try ${attempt + 1} in ${delay} ms`),
    })
  } catch (error) {
    if (isUnwritableStorage(error)) throw new CriticalError(`storage is not writable: ${errorMessage(error)}`, {cause: error})
    throw error
  }
}

/** The exit a worker takes for an error that ended its partition. */
export function classifyWorkerError(error: unknown): {exitCode: number; phase: 'failed' | 'tripped'} {
  if (error instanceof CriticalError) return {exitCode: ExitCode.breakerTripped, phase: 'tripped'}
  if (isUserError(error)) return {exitCode: error.exitCode, phase: 'failed'} // usage (2), or transient (75) for unreachable services
  if (isTransientError(error)) return {exitCode: ExitCode.transient, phase: 'failed'}
  return {exitCode: ExitCode.failed, phase: 'failed'}
}
