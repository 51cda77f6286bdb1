import {ExitCode, describeWorkerExit} from '../../src/base/exit-codes.js'
import type {JobHandle, JobState} from '../../src/core/executor.js'
import {type PartitionProgress, readProgress} from '../../src/core/progress.js'
import {isRecordedProcessAlive} from '../../src/core/run/process-liveness.js'
import type {Storage} from '../../src/storage/storage.js'

const finalPhases = new Set<PartitionProgress['phase']>(['done', 'stopped', 'tripped', 'failed'])

/** A partition's worker as its progress file records it: whether it still runs, here or elsewhere. */
export interface RecordedWorker {
  progress?: PartitionProgress
  /** The progress says the worker is at work and, on this host, its process exists (another host: trusted). */
  running: boolean
  /** On this host and alive: its pid can be signalled. */
  signallable: boolean
}

/** Reads what storage knows about a partition's worker. */
export async function readRecordedWorker(storage: Storage, handle: JobHandle): Promise<RecordedWorker> {
  const progress = await readProgress(storage, handle.runId, handle.quarter, handle.partition)
  if (!progress || finalPhases.has(progress.phase)) return {progress, running: false, signallable: false}
  const alive = isRecordedProcessAlive(progress)
  return {progress, running: alive !== false, signallable: alive === true}
}

/**
 * A job's state from storage alone, for a process that did not start it (`ftm status` elsewhere, a resumed
 * monitor): no progress yet is pending; a worker that stopped by SIGTERM after committing counts as cancelled.
 */
export function stateFromRecord(handle: JobHandle, worker: RecordedWorker): JobState {
  const {progress} = worker
  if (!progress) return {handle, phase: 'pending', backendStatus: 'not started'}
  const where = `pid ${progress.pid} on ${progress.host}`
  if (worker.running) return {handle, phase: 'running', backendStatus: where, attempts: progress.attempt}
  if (!finalPhases.has(progress.phase)) {
    return {handle, phase: 'failed', reason: 'the worker died without reporting (killed)', backendStatus: `${where}, gone`, attempts: progress.attempt}
  }
  const exitCode = progress.exitCode
  const phase = exitCode === ExitCode.ok ? 'succeeded' : exitCode === ExitCode.terminated ? 'cancelled' : 'failed'
  return {handle, phase, exitCode, reason: phase === 'succeeded' ? undefined : (progress.reason ?? describeWorkerExit(exitCode)), backendStatus: `${where}, exit ${exitCode}`, attempts: progress.attempt}
}
