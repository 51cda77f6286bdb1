import {createExecutor} from '../executor-registry.js'
import type {Executor, JobHandle, JobPhase, JobState} from '../executor.js'
import {isFinished} from '../executor.js'
import {estimateSecondsLeft, type PartitionProgress, readRunProgress} from '../progress.js'
import {readRunRecord, type RunRecord, type RunStatus, writeRunRecord} from '../run-record.js'
import {readJson, type Storage} from '../../storage/storage.js'
import {themesJobsKey} from '../layout.js'
import {isMonitorAlive, type MonitorLease, readMonitorLease} from './monitor-lease.js'
import {partitionReason} from './partition-reason.js'
import {judgeByCommittedFirms} from './partition-ledger.js'

/** One partition in `ftm status`. */
export interface PartitionStatus {
  quarter: string
  partition: number
  phase: JobPhase
  firmsTotal?: number
  /** Firms finished, all attempts together (committed by earlier ones plus finished by this one). */
  firmsDone: number
  firmsFailed: number
  firmsCommitted: number
  rate: number
  etaSeconds?: number
  attempt?: number
  /** Attempts lost to Spot reclaims (Batch), counted apart from the worker's own failures. */
  interruptions: number
  host?: string
  pid?: number
  exitCode?: number
  reason?: string
  updatedAt?: string
}

/** A cross-firm themes job of the run (on Batch: one per quarter, waiting for the quarter's map jobs). */
export interface ThemesJobStatus {
  quarter: string
  jobId: string
  phase: JobPhase
  backendStatus?: string
  exitCode?: number
  reason?: string
}

/** A run as `ftm status` reports it, from the run record, the progress files and the executor. */
export interface RunStatusReport {
  runId: string
  root: string
  status: RunStatus
  reason?: string
  executor: string
  parallel: number
  createdAt: string
  finishedAt?: string
  source: string
  monitor?: MonitorLease & {alive?: boolean}
  /** Recorded as running, but its monitor process is gone and partitions are left to start: resume it. */
  stalled: boolean
  quarters: {quarter: string; firms: number; partitions: number; firmsDone: number; firmsFailed: number}[]
  partitions: PartitionStatus[]
  /** Themes jobs submitted for the run (`ftm themes` or themes.enabled on Batch); empty when there are none. */
  themes: ThemesJobStatus[]
  totals: {firms: number; firmsDone: number; firmsFailed: number; firmsCommitted: number; interruptions: number; phases: Record<JobPhase, number>}
}

/**
 * Reports on a run from storage (and the executor, which may ask its backend). A run whose monitor is known to
 * be gone and whose partitions have all finished gets its final status written, so the record converges.
 */
export async function readRunStatus(storage: Storage, runId: string, environment: NodeJS.ProcessEnv = process.env): Promise<RunStatusReport> {
  const record = await readRunRecord(storage, runId)
  const [lease, progress] = await Promise.all([readMonitorLease(storage, runId), readRunProgress(storage, runId)])
  const monitorAlive = isMonitorAlive(lease)
  const executor = runExecutor(storage, record, environment)
  const [reported, themes] = await Promise.all([jobStates(record, executor), themesJobStates(storage, record, executor)])
  // A finished partition succeeded exactly when its committed firms cover its manifest (a job that exits 0 without working fails).
  const states = await judgeByCommittedFirms(storage, runId, reported)
  const progressOf = new Map(progress.map((entry) => [`${entry.quarter}/${entry.partition}`, entry]))
  const partitions = states.map((state) => describePartition(state, progressOf.get(`${state.handle.quarter}/${state.handle.partition}`)))
  if (record.status !== 'running') for (const partition of partitions) if (partition.phase === 'pending') partition.reason = 'never started'
  const allFinished = partitions.every((partition) => isFinished(partition.phase))
  // Nobody watches it: its monitor is gone, or a detached executor runs it without one.
  const unwatched = monitorAlive === false || lease === undefined
  if (record.status === 'running' && unwatched && allFinished) await settle(storage, record, partitions)
  const phases = {pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0} as Record<JobPhase, number>
  for (const partition of partitions) phases[partition.phase]++
  const sum = (pick: (partition: PartitionStatus) => number, list = partitions): number => list.reduce((total, partition) => total + pick(partition), 0)
  return {
    runId,
    root: record.root,
    status: record.status,
    reason: record.reason,
    executor: record.executor.name,
    parallel: record.executor.parallel,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    source: record.source,
    monitor: lease ? {...lease, alive: monitorAlive} : undefined,
    stalled: record.status === 'running' && monitorAlive === false && phases.running === 0,
    quarters: record.plan.map((quarter) => {
      const own = partitions.filter((partition) => partition.quarter === quarter.quarter)
      return {...quarter, firmsDone: sum((partition) => partition.firmsDone, own), firmsFailed: sum((partition) => partition.firmsFailed, own)}
    }),
    partitions,
    themes: themes.map((state) => ({
      quarter: state.handle.quarter,
      jobId: state.handle.id,
      phase: state.phase,
      backendStatus: state.backendStatus,
      exitCode: state.exitCode,
      reason: state.phase === 'succeeded' ? undefined : state.reason,
    })),
    totals: {
      firms: record.plan.reduce((total, quarter) => total + quarter.firms, 0),
      firmsDone: sum((partition) => partition.firmsDone),
      firmsFailed: sum((partition) => partition.firmsFailed),
      firmsCommitted: sum((partition) => partition.firmsCommitted),
      interruptions: sum((partition) => partition.interruptions),
      phases,
    },
  }
}

/** The state of every planned partition: from the executor for submitted jobs, pending for the rest. */
export async function jobStates(record: RunRecord, executor: () => Promise<Executor>): Promise<JobState[]> {
  const planned: JobHandle[] = record.plan.flatMap((quarter) =>
    Array.from({length: quarter.partitions}, (_, partition) => ({executor: record.executor.name, runId: record.id, quarter: quarter.quarter, partition, id: ''})),
  )
  const known = new Map(record.jobs.map((handle) => [`${handle.quarter}/${handle.partition}`, handle]))
  const submitted = planned.map((handle) => known.get(`${handle.quarter}/${handle.partition}`)).filter((handle): handle is JobHandle => handle !== undefined)
  const states = submitted.length > 0 ? await (await executor()).status(submitted) : []
  const stateOf = new Map(states.map((state) => [`${state.handle.quarter}/${state.handle.partition}`, state]))
  return planned.map((handle) => stateOf.get(`${handle.quarter}/${handle.partition}`) ?? {handle, phase: 'pending', backendStatus: 'not submitted'})
}

/** The themes jobs submitted for a run, as the run's executor sees them; none when nothing was submitted. */
export async function themesJobStates(storage: Storage, record: RunRecord, executor: () => Promise<Executor>): Promise<JobState[]> {
  const handles = (await readJson<JobHandle[]>(storage, themesJobsKey(record.id))) ?? []
  if (handles.length === 0) return []
  return (await executor()).status(handles)
}

/** The run's executor, created on first use and shared after that (one set of clients per command). */
export function runExecutor(storage: Storage, record: RunRecord, environment: NodeJS.ProcessEnv): () => Promise<Executor> {
  let executor: Promise<Executor> | undefined
  return () => (executor ??= createExecutor(record.executor.name, {storage, environment}))
}

function describePartition(state: JobState, progress: PartitionProgress | undefined): PartitionStatus {
  const done = progress ? progress.firmsResumed + progress.firmsProcessed : 0
  return {
    quarter: state.handle.quarter,
    partition: state.handle.partition,
    phase: state.phase,
    firmsTotal: progress?.firmsTotal,
    firmsDone: done,
    firmsFailed: progress?.firmsFailed ?? 0,
    firmsCommitted: progress?.firmsCommitted ?? 0,
    rate: progress?.rate ?? 0,
    etaSeconds: progress && state.phase === 'running' ? estimateSecondsLeft(progress) : undefined,
    attempt: progress?.attempt ?? state.attempts,
    host: progress?.host,
    pid: progress?.pid,
    exitCode: state.exitCode ?? progress?.exitCode,
    interruptions: state.interruptions ?? 0,
    reason: partitionReason(state, progress),
    updatedAt: progress?.updatedAt,
  }
}

/** Writes the final status of a run nobody is watching any more, from its partitions. */
async function settle(storage: Storage, record: RunRecord, partitions: PartitionStatus[]): Promise<void> {
  const failed = partitions.filter((partition) => partition.phase === 'failed')
  const cancelled = partitions.some((partition) => partition.phase === 'cancelled')
  record.status = failed.length > 0 ? 'failed' : cancelled ? 'cancelled' : 'succeeded'
  if (failed.length > 0) record.reason = failed.map((partition) => `${partition.quarter} partition ${partition.partition}: ${partition.reason ?? 'failed'}`).join('; ')
  else if (cancelled) record.reason = 'partitions committed what they had finished'
  record.finishedAt = new Date().toISOString()
  await writeRunRecord(storage, record)
}
