import type {JobDetail} from '@aws-sdk/client-batch'
import {batchJobsPrefix} from '../../src/core/layout.js'
import {readJson, type Storage, writeJson} from '../../src/storage/storage.js'
import {attemptStreams} from './job-logs.js'

/**
 * One Batch job submitted for a run, kept in storage beside the run record: Batch forgets finished jobs after a
 * while and a resume replaces the record's handles, but `ftm logs` must still find every attempt of every job.
 */
export interface JournalEntry {
  /** The plain job's id, or the array job's (its children are `<id>:<index>`). */
  jobId: string
  jobName: string
  quarter: string
  /** The partitions it runs: one for a plain job, child i runs partitions[i] for an array job. */
  partitions: number[]
  array: boolean
  submittedAt: string
  /** The log stream of each attempt, by job id (the child's for an array job), as Batch last showed them. */
  streams: Record<string, string[]>
}

/** The Batch job id of one partition of an entry (a child id for an array job). */
export function partitionJobId(entry: JournalEntry, partition: number): string | undefined {
  const index = entry.partitions.indexOf(partition)
  if (index < 0) return undefined
  return entry.array ? `${entry.jobId}:${index}` : entry.jobId
}

/** The job journal of one run: written at submission, its log streams added whenever Batch shows new ones. */
export class JobJournal {
  /** What this process last wrote or read, so an unchanged job is not written again. */
  private readonly known = new Map<string, JournalEntry>()
  /** Jobs found in no journal (a themes job, a run from before the journal): not looked up again. */
  private readonly unjournalled = new Set<string>()

  constructor(private readonly storage: Storage) {}

  /** Notes a job as soon as SubmitJob returned it. */
  async add(runId: string, entry: JournalEntry): Promise<void> {
    this.known.set(entry.jobId, entry)
    await writeJson(this.storage, this.key(runId, entry.jobId), entry)
  }

  /** Every job of a run in submission order (the order of their ids breaks ties). */
  async entries(runId: string): Promise<JournalEntry[]> {
    const keys = (await this.storage.list(batchJobsPrefix(runId))).filter((key) => key.endsWith('.json'))
    const entries = (await Promise.all(keys.map((key) => readJson<JournalEntry>(this.storage, key)))).filter((entry): entry is JournalEntry => entry !== undefined)
    for (const entry of entries) this.known.set(entry.jobId, entry)
    return entries.sort((a, b) => (a.submittedAt === b.submittedAt ? (a.jobId < b.jobId ? -1 : 1) : a.submittedAt < b.submittedAt ? -1 : 1))
  }

  /** Adds the log streams a DescribeJobs answer shows for a job of a run; writes only when one is new. */
  async noteStreams(runId: string, detail: JobDetail): Promise<void> {
    const id = detail.jobId
    if (!id) return
    const parentId = id.replace(/:\d+$/, '')
    if (this.unjournalled.has(parentId)) return
    const entry = this.known.get(parentId) ?? (await readJson<JournalEntry>(this.storage, this.key(runId, parentId)))
    if (!entry) {
      this.unjournalled.add(parentId)
      return
    }
    const seen = entry.streams[id] ?? []
    const streams = attemptStreams(detail)
    if (streams.length <= seen.length && streams.every((stream, index) => seen[index] === stream)) return
    entry.streams = {...entry.streams, [id]: [...seen, ...streams.filter((stream) => !seen.includes(stream))]}
    this.known.set(parentId, entry)
    await writeJson(this.storage, this.key(runId, parentId), entry)
  }

  private key(runId: string, jobId: string): string {
    return `${batchJobsPrefix(runId)}${jobId.replace(/[^A-Za-z0-9_-]/g, '-')}.json`
  }
}
