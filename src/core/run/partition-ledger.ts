import {type Executor, isFinished, type JobHandle, type JobState, type PartitionJob} from '../executor.js'
import {readManifest} from '../manifest.js'
import type {RunRecord} from '../run-record.js'
import type {Storage} from '../../storage/storage.js'
import {partitionKey, readCommittedFirms} from './committed-firms.js'

/** What a run's storage and its executor say about each partition before anything is (re)submitted. */
export interface PartitionLedger {
  /** Partitions whose committed firms cover their manifest: never submitted again. */
  done: PartitionJob[]
  /** Partitions with a job the record knows that is running (or queued, on a detached executor): watched, not submitted again. */
  running: PartitionJob[]
  /** Partitions neither done nor running: the only ones to submit. */
  toStart: PartitionJob[]
  /** The recorded handles of the done partitions, to watch beside the new ones. */
  kept: JobHandle[]
  /** The recorded handles of the running partitions. */
  runningHandles: JobHandle[]
}

/**
 * Reads a run's ledger: each partition's committed firms (from the data) against its manifest, and the live state
 * of every job the run record knows (asked of the executor) and, with `findJobs` (a resume), of the jobs the
 * executor finds by name that the record misses. A run that never committed anything reads no Parquet.
 */
export async function readPartitionLedger(storage: Storage, executor: Executor, record: RunRecord, jobs: PartitionJob[], options: {findJobs?: boolean} = {}): Promise<PartitionLedger> {
  const known = options.findJobs ? await withFoundJobs(executor, record) : record.jobs
  const [committed, states] = await Promise.all([
    readCommittedFirms(storage, record.id, jobs),
    known.length > 0 ? executor.status(known) : Promise.resolve([] as JobState[]),
  ])
  const liveOf = new Map<string, JobHandle>()
  const recordedOf = new Map<string, JobHandle>()
  for (const state of states) {
    const key = partitionKey(state.handle.quarter, state.handle.partition)
    recordedOf.set(key, state.handle)
    // Pending is live only where jobs go on without the CLI (a Batch queue); a process or container a dead
    // monitor never started will not start by itself.
    if (state.phase === 'running' || (state.phase === 'pending' && executor.capabilities.detached)) liveOf.set(key, state.handle)
  }
  const ledger: PartitionLedger = {done: [], running: [], toStart: [], kept: [], runningHandles: []}
  for (const job of jobs) {
    const key = partitionKey(job.quarter, job.partition)
    const manifest = await readManifest(storage, record.id, job.quarter, job.partition)
    const firms = committed.get(key) ?? new Set<string>()
    const covered = manifest !== undefined && manifest.firms.every((firm) => firms.has(firm.id))
    const recorded = liveOf.get(key) ?? recordedOf.get(key)
    if (covered) ledger.done.push(job)
    else if (liveOf.has(key)) ledger.running.push(job)
    else ledger.toStart.push(job)
    if (covered && recorded) ledger.kept.push(recorded)
    else if (!covered && liveOf.has(key)) ledger.runningHandles.push(liveOf.get(key)!)
  }
  return ledger
}

/**
 * The record's handles and, before them, those the executor finds by name that the record misses (so a partition's
 * recorded handle wins where both exist).
 */
export async function withFoundJobs(executor: Executor, record: RunRecord): Promise<JobHandle[]> {
  if (!executor.findJobs) return record.jobs
  const recorded = new Set(record.jobs.map((handle) => handle.id))
  const found = (await executor.findJobs(record)).filter((handle) => !recorded.has(handle.id))
  return [...found, ...record.jobs]
}

/**
 * Judges finished partitions by their data: one whose committed firms cover its manifest succeeded, whatever its
 * last job said (a worker stopped after committing everything, a job of an earlier submission); one that "succeeded"
 * without them failed: a job, container or process that exits 0 without committing (a wrong image or entrypoint).
 */
export async function judgeByCommittedFirms(storage: Storage, runId: string, states: JobState[]): Promise<JobState[]> {
  const finished = states.filter((state) => isFinished(state.phase) && state.handle.partition >= 0)
  if (finished.length === 0) return states
  const committed = await readCommittedFirms(storage, runId, finished.map((state) => state.handle))
  const judged = new Map<JobState, JobState>()
  for (const state of finished) {
    const manifest = await readManifest(storage, runId, state.handle.quarter, state.handle.partition)
    if (!manifest) continue
    const firms = committed.get(partitionKey(state.handle.quarter, state.handle.partition))!
    const done = manifest.firms.filter((firm) => firms.has(firm.id)).length
    if (done === manifest.firms.length && state.phase !== 'succeeded') {
      judged.set(state, {handle: state.handle, phase: 'succeeded', backendStatus: `${state.backendStatus ?? state.phase}; every firm committed`, attempts: state.attempts, interruptions: state.interruptions})
    } else if (done < manifest.firms.length && state.phase === 'succeeded') {
      judged.set(state, {...state, phase: 'failed', reason: `the worker exited 0 but committed ${done} of ${manifest.firms.length} firms: check the image's entrypoint`})
    }
  }
  return states.map((state) => judged.get(state) ?? state)
}
