import {UserError} from '../../base/errors.js'
import {type Executor, isFinished, type JobPhase} from '../executor.js'
import type {Clock} from '../../base/clock.js'
import {poll} from '../poll.js'
import {readRunRecord, type RunRecord, type RunStatus, writeRunRecord} from '../run-record.js'
import type {Storage} from '../../storage/storage.js'
import {isMonitorAlive, readMonitorLease} from './monitor-lease.js'
import {withFoundJobs} from './partition-ledger.js'
import {signalProcess} from './process-liveness.js'
import {jobStates, runExecutor, themesJobStates} from './run-status.js'

export interface CancelOptions {
  environment?: NodeJS.ProcessEnv
  /** Wait until the workers have stopped and the record says so (default true). */
  wait?: boolean
  clock?: Clock
  signal?: AbortSignal
}

/** What `ftm cancel` did. */
export interface CancelOutcome {
  runId: string
  /** The record's status afterwards (still `running` when not waiting). */
  status: RunStatus
  /** The run had already finished: nothing was stopped. */
  alreadyFinished: boolean
  /** How the cancel was delivered: to the run's monitor process, or to the jobs through the executor. */
  via: 'monitor' | 'executor' | 'none'
  /** Unfinished themes jobs of the run (Batch) that were told to stop. */
  themesCancelled: number
}

/**
 * Cancels a run from any process: the monitor (`ftm run`, attached or detached) on this machine gets SIGTERM and
 * cancels like Ctrl-C; without a live monitor the executor stops the jobs (process workers by their recorded pids)
 * and the record is set to cancelled once they have stopped. Workers commit the firms they finished. Unfinished
 * themes jobs of the run (Batch) are cancelled too, also when the map step has already finished.
 */
export async function cancelRun(storage: Storage, runId: string, options: CancelOptions = {}): Promise<CancelOutcome> {
  const environment = options.environment ?? process.env
  const record = await readRunRecord(storage, runId)
  const executor = runExecutor(storage, record, environment)
  const themesCancelled = await cancelThemesJobs(storage, record, executor)
  if (record.status !== 'running' && record.status !== 'planned') return {runId, status: record.status, alreadyFinished: true, via: 'none', themesCancelled}
  const outcome = await cancelMap(storage, record, executor, options)
  return {...outcome, themesCancelled}
}

/** Stops the run's unfinished themes jobs (they wait for the map jobs, or run after them); returns how many. */
async function cancelThemesJobs(storage: Storage, record: RunRecord, executor: () => Promise<Executor>): Promise<number> {
  const unfinished = (await themesJobStates(storage, record, executor)).filter((state) => !isFinished(state.phase))
  if (unfinished.length === 0) return 0
  await (await executor()).cancel(unfinished.map((state) => state.handle))
  return unfinished.length
}

/** Cancels the run's partitions: through its monitor when one is alive, else through the executor. */
async function cancelMap(
  storage: Storage,
  record: RunRecord,
  getExecutor: () => Promise<Executor>,
  options: CancelOptions,
): Promise<Omit<CancelOutcome, 'themesCancelled'>> {
  const runId = record.id
  const wait = options.wait ?? true
  const pollOptions = {interval: 250, clock: options.clock, signal: options.signal}
  const lease = await readMonitorLease(storage, runId)
  if (lease && lease.pid !== process.pid && isMonitorAlive(lease) && signalProcess(lease.pid, 'SIGTERM')) {
    if (!wait) return {runId, status: record.status, alreadyFinished: false, via: 'monitor'}
    // The monitor finishes the record; if it dies first (killed before it could), stop the jobs from here.
    await poll(async () => (await readRunRecord(storage, runId)).status !== 'running' || !isMonitorAlive(lease), pollOptions)
    const after = await readRunRecord(storage, runId)
    if (after.status !== 'running') return {runId, status: after.status, alreadyFinished: false, via: 'monitor'}
  }
  const executor = await getExecutor()
  if (lease && isMonitorAlive(lease) === undefined && !executor.capabilities.remote) {
    throw new UserError(`Run ${runId} is watched by process ${lease.pid} on ${lease.host}, another machine.`, `Run \`ftm cancel ${runId}\` on ${lease.host}.`)
  }
  // Jobs the record misses (Batch finds them by name: a crash between SubmitJob and the record write) stop too.
  const targets = await withFoundJobs(executor, record)
  await executor.cancel(targets)
  if (!wait) return {runId, status: record.status, alreadyFinished: false, via: 'executor'}
  // A detached executor's backend settles pending jobs itself; elsewhere nothing starts them without a monitor.
  const settled = (phase: JobPhase): boolean => (executor.capabilities.detached ? isFinished(phase) : phase !== 'running')
  await poll(async () => (targets.length === 0 ? [] : await executor.status(targets)).every((state) => settled(state.phase)), pollOptions)
  const latest = await readRunRecord(storage, runId)
  if (latest.status === 'running') {
    const states = await jobStates(latest, getExecutor)
    const unfinished = states.filter((state) => !isFinished(state.phase)).length
    latest.status = 'cancelled'
    latest.reason = `by ftm cancel; partitions committed what they had finished${unfinished > 0 ? ` (${unfinished} never started)` : ''}`
    latest.finishedAt = new Date().toISOString()
    await writeRunRecord(storage, latest)
  }
  return {runId, status: latest.status, alreadyFinished: false, via: 'executor'}
}
