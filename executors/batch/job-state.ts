import type {AttemptDetail, JobDetail} from '@aws-sdk/client-batch'
import {describeWorkerExit} from '../../src/base/exit-codes.js'
import type {JobHandle, JobPhase, JobState} from '../../src/core/executor.js'

/** The reason `ftm cancel` gives TerminateJob: a FAILED job with it was cancelled, not broken. */
export const cancelReasonPrefix = 'Cancelled by ftm'

const phases: Record<string, JobPhase> = {
  SUBMITTED: 'pending',
  PENDING: 'pending',
  RUNNABLE: 'pending',
  STARTING: 'pending',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
}

/** True for an attempt whose host went away (a Spot reclaim), not one the worker failed. */
export function isSpotReclaim(attempt: AttemptDetail): boolean {
  return attempt.statusReason?.startsWith('Host EC2') ?? false
}

/** How one attempt ended, in words: its status reason, container reason and exit code. */
export function describeAttempt(attempt: AttemptDetail): string {
  const exitCode = attempt.container?.exitCode
  const parts = [attempt.statusReason, attempt.container?.reason, exitCode === undefined ? undefined : `exit ${exitCode}: ${describeWorkerExit(exitCode)}`]
  const text = parts.filter(Boolean).join('; ') || 'no reason given'
  return isSpotReclaim(attempt) ? `Spot reclaim: ${text}` : text
}

/** When a job (re)entered its current wait: its creation, or the end of its last attempt. */
export function waitingSince(detail: JobDetail): number | undefined {
  const stops = (detail.attempts ?? []).map((attempt) => attempt.stoppedAt ?? 0)
  const since = Math.max(detail.createdAt ?? 0, ...stops)
  return since > 0 ? since : undefined
}

/**
 * A partition's state from its Batch job: SUBMITTED, PENDING, RUNNABLE and STARTING are pending; a FAILED job
 * that ftm cancelled is cancelled. Attempts count the one under way; Spot reclaims are counted apart.
 */
export function jobStateOf(handle: JobHandle, detail: JobDetail): JobState {
  const status = detail.status ?? 'SUBMITTED'
  const attempts = detail.attempts ?? []
  const underWay = status === 'STARTING' || status === 'RUNNING' ? 1 : 0
  const interruptions = attempts.filter(isSpotReclaim).length
  const last = attempts.at(-1)
  const exitCode = last?.container?.exitCode ?? detail.container?.exitCode
  let phase = phases[status] ?? 'pending'
  if (phase === 'failed' && (detail.statusReason?.startsWith(cancelReasonPrefix) || detail.isCancelled || detail.isTerminated)) phase = 'cancelled'
  const history = attempts.map((attempt, index) => `attempt ${index + 1}: ${describeAttempt(attempt)}`)
  let reason: string | undefined
  if (phase === 'failed') reason = [detail.statusReason, ...history].filter(Boolean).join('; ')
  else if (phase === 'cancelled') reason = detail.statusReason
  else if (phase !== 'succeeded' && attempts.length > 0) reason = `retrying (attempt ${attempts.length + 1}) after ${history.join('; ')}`
  else if (status === 'RUNNABLE' && detail.statusReason) reason = detail.statusReason
  const backendReason = phase === 'failed' || phase === 'cancelled' || (phase !== 'succeeded' && attempts.length > 0) ? reason : undefined
  return {handle, phase, exitCode, reason, backendStatus: status, attempts: attempts.length + underWay, interruptions, ...(backendReason ? {backendReason, backend: 'Batch'} : {})}
}
