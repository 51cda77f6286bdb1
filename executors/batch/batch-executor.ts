import {randomUUID} from 'node:crypto'
import {SubmitJobCommand, type SubmitJobCommandInput, TerminateJobCommand, type JobDetail} from '@aws-sdk/client-batch'
import type {BatchSettings} from './batch-settings.js'
import {isUserError} from '../../src/base/errors.js'
import type {Executor, ExecutorCapabilities, ExecutorContext, JobHandle, JobState, PartitionJob, SubmitOptions} from '../../src/core/executor.js'
import {readProgress} from '../../src/core/progress.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {type BatchClients, type BatchEndpoint, createBatchClients, effectiveEndpoint} from './clients.js'
import {describeJobs} from './describe-jobs.js'
import {batchExecutorPlugin} from './index.js'
import {JobJournal, partitionJobId} from './job-journal.js'
import {followJobLogs} from './job-logs.js'
import {findRunJobs, submissionTag, submissionTagPlaceholder} from './jobs-by-name.js'
import {cancelReasonPrefix, jobStateOf, waitingSince} from './job-state.js'
import {checkReadyToSubmit, checkStorageReachable} from './preflight.js'
import {queueReasons} from './queue-reasons.js'
import {planSubmissions, submissionFailed} from './submission.js'
import {mapJobIds, themesSubmission} from './themes-submission.js'

/** A SubmitJob request with a tag of its own, by which the job it created is found again if its answer is lost. */
function withSubmissionTag(input: SubmitJobCommandInput): SubmitJobCommandInput {
  return {...input, tags: {...input.tags, [submissionTag]: randomUUID()}}
}

/** What a Batch handle carries besides the core's fields, so any machine can watch the job from the run record. */
interface BatchHandle extends JobHandle {
  region: string
  endpoint?: string
  jobQueue: string
  logGroup: string
  stuckRunnableMinutes: number
}

/**
 * Runs partitions as AWS Batch jobs (Spot, GPU): one array job per quarter, or `--parallel` chains of jobs. The jobs
 * go on when the CLI exits; status, logs and cancel work from the handles in the run record.
 */
export class BatchExecutor implements Executor {
  readonly name = 'batch'
  readonly capabilities: ExecutorCapabilities = batchExecutorPlugin.capabilities
  private readonly clients = new Map<string, BatchClients>()
  private readonly journal: JobJournal

  constructor(
    private readonly context: ExecutorContext,
    private readonly now: () => number = Date.now,
  ) {
    this.journal = new JobJournal(context.storage)
  }

  async prepare(run: RunRecord): Promise<void> {
    await checkReadyToSubmit(this.clientsFor(endpointOf(run.config.batch)).batch, run.config.batch, this.context.storage)
  }

  async describeSubmission(run: RunRecord, jobs: PartitionJob[]): Promise<unknown> {
    checkStorageReachable(run.config.batch, this.context.storage) // the same refusal as the real submit
    const planned = planSubmissions(run.id, jobs, run.executor.parallel, run.config.batch)
    const where = endpointOf(run.config.batch)
    const endpoint = effectiveEndpoint(where, 'BATCH')
    return {
      endpoint: {region: where.region, ...(endpoint ? {endpoint} : {})},
      submitJob: planned.map((submission) => ({
        ...submission.input,
        tags: {...submission.input.tags, [submissionTag]: submissionTagPlaceholder},
        ...(submission.after ? {dependsOn: [{jobId: `<job id of ${submission.after}>`}]} : {}),
      })),
    }
  }

  /**
   * Submits the jobs one SubmitJob at a time; each job goes into the journal and (through `onSubmitted`) the run
   * record as soon as Batch returns it, so a later failure leaves no job that cancel, status and resume cannot see.
   */
  async submit(run: RunRecord, jobs: PartitionJob[], options: SubmitOptions = {}): Promise<JobHandle[]> {
    const settings = run.config.batch
    const {batch} = this.clientsFor(endpointOf(settings))
    const jobIds = new Map<string, string>()
    const handles: JobHandle[] = []
    for (const submission of planSubmissions(run.id, jobs, run.executor.parallel, settings)) {
      const dependsOn = submission.after ? [{jobId: jobIds.get(submission.after)!}] : undefined
      const response = await batch.send(new SubmitJobCommand(withSubmissionTag({...submission.input, ...(dependsOn ? {dependsOn} : {})}))).catch((error: unknown) => {
        throw isUserError(error) ? submissionFailed(error, run.id, handles.length, jobs.length) : error
      })
      const jobId = response.jobId!
      jobIds.set(submission.key, jobId)
      const partitions = submission.partitions.map((job) => job.partition)
      await this.journal.add(run.id, {jobId, jobName: submission.input.jobName!, quarter: submission.partitions[0]!.quarter, partitions, array: submission.array, submittedAt: new Date(this.now()).toISOString(), streams: {}})
      for (const job of submission.partitions) handles.push(this.handleOf(run, job, submission.array ? `${jobId}:${job.partition}` : jobId, settings))
      await options.onSubmitted?.([...handles])
    }
    return handles
  }

  /** Submits a quarter's themes step (the cross-firm reduce) as one job that waits for the quarter's map jobs in the run record. */
  async submitThemes(run: RunRecord, quarter: string, runRecordLocation: string): Promise<JobHandle> {
    const settings = run.config.batch
    const input = themesSubmission(run, quarter, runRecordLocation, mapJobIds(run.jobs, quarter))
    const response = await this.clientsFor(endpointOf(settings)).batch.send(new SubmitJobCommand(withSubmissionTag(input)))
    return {...this.handleOf(run, {runId: run.id, quarter, partition: -1, runRecordLocation}, response.jobId!, settings), task: 'themes'}
  }

  /**
   * The run's partition jobs that Batch knows by name (ListJobs in the run's queue), journalled when the journal
   * missed them (a crash between SubmitJob and the journal write), so resume, status and cancel see every job.
   */
  async findJobs(run: RunRecord): Promise<JobHandle[]> {
    const settings = run.config.batch
    const found = await findRunJobs(this.clientsFor(endpointOf(settings)).batch, settings.jobQueue, run.id, run.plan.map((quarter) => quarter.quarter))
    const journalled = new Set((await this.journal.entries(run.id)).map((entry) => entry.jobId))
    const handles: JobHandle[] = []
    for (const job of found) {
      if (!journalled.has(job.jobId)) {
        const submittedAt = new Date(job.createdAt ?? this.now()).toISOString()
        await this.journal.add(run.id, {jobId: job.jobId, jobName: job.jobName, quarter: job.quarter, partitions: job.partitions, array: job.array, submittedAt, streams: {}})
      }
      const partitionJob = (partition: number): PartitionJob => ({runId: run.id, quarter: job.quarter, partition, runRecordLocation: ''})
      for (const partition of job.partitions) handles.push(this.handleOf(run, partitionJob(partition), job.array ? `${job.jobId}:${partition}` : job.jobId, settings))
    }
    return handles
  }

  async status(handles: JobHandle[]): Promise<JobState[]> {
    const details = new Map<string, JobDetail>()
    for (const [key, group] of groupByEndpoint(handles)) {
      const client = this.clientsFor(group[0]!).batch
      const found = await describeJobs(client, group.map((handle) => handle.id))
      // Array children exist only once Batch has spawned them: until then, their parent speaks for them.
      const unspawned = group.filter((handle) => !found.has(handle.id) && handle.id.includes(':')).map((handle) => handle.id.split(':')[0]!)
      const parents = unspawned.length > 0 ? await describeJobs(client, unspawned) : new Map<string, JobDetail>()
      for (const [id, detail] of [...parents, ...found]) details.set(`${key} ${id}`, detail)
    }
    const states = await Promise.all(
      (handles as BatchHandle[]).map(async (handle) => {
        const detail = details.get(`${endpointKey(handle)} ${handle.id}`)
        if (detail) {
          await this.journal.noteStreams(handle.runId, detail)
          return jobStateOf(handle, detail)
        }
        const parent = details.get(`${endpointKey(handle)} ${handle.id.split(':')[0]}`)
        if (parent && parent.status !== 'SUCCEEDED' && parent.status !== 'FAILED') {
          return {handle, phase: 'pending' as const, backendStatus: `${parent.status} (array job, children not spawned yet)`, attempts: 0, interruptions: 0}
        }
        // An array job cancelled (or failed) before it spawned its children: the parent's end is theirs.
        if (parent?.status === 'FAILED') return jobStateOf(handle, {...parent, attempts: []})
        return this.forgottenJob(handle)
      }),
    )
    return this.explainStuck(handles as BatchHandle[], states, details)
  }

  /**
   * Every attempt of every job the run submitted for the handle's partition (earlier submissions too, e.g. before a
   * resume), in submission order; a job Batch has forgotten is read from the streams the journal noted. With
   * `follow`, the newest job is read until it ends.
   */
  async *logs(handle: JobHandle, options: {follow?: boolean} = {}): AsyncIterable<string> {
    const batchHandle = handle as BatchHandle
    const clients = this.clientsFor(batchHandle)
    const entries = handle.partition < 0 ? [] : (await this.journal.entries(handle.runId)).filter((entry) => entry.quarter === handle.quarter)
    const jobs = entries.flatMap((entry) => {
      const id = partitionJobId(entry, handle.partition)
      return id ? [{id, streams: entry.streams[id] ?? []}] : []
    })
    if (!jobs.some((job) => job.id === handle.id)) jobs.push({id: handle.id, streams: []})
    for (const [index, job] of jobs.entries()) {
      if (jobs.length > 1) yield `=== job ${index + 1} of ${jobs.length}: ${job.id} ===`
      const describe = async (): Promise<JobDetail | undefined> => {
        const detail = (await describeJobs(clients.batch, [job.id])).get(job.id)
        if (detail) await this.journal.noteStreams(handle.runId, detail)
        return detail
      }
      yield* followJobLogs(clients.logs, batchHandle.logGroup, describe, (options.follow ?? false) && index === jobs.length - 1, job.streams)
    }
  }

  async cancel(handles: JobHandle[]): Promise<void> {
    // Terminating an array job's parent stops all its children; TerminateJob on a finished job changes nothing.
    const targets = new Map<string, BatchHandle>()
    for (const handle of handles as BatchHandle[]) targets.set(handle.id.split(':')[0]!, handle)
    // Jobs of the same runs that the handles miss (an earlier submission's, before a resume) stop too.
    const byRun = new Map([...targets.values()].filter((handle) => handle.task !== 'themes').map((handle) => [handle.runId, handle]))
    for (const [runId, handle] of byRun) {
      for (const entry of await this.journal.entries(runId)) if (!targets.has(entry.jobId)) targets.set(entry.jobId, {...handle, id: entry.jobId})
    }
    // Dependents first: a chain's later job would otherwise fail as "Dependent Job failed" instead of cancelled.
    for (const [jobId, handle] of [...targets].reverse()) {
      await this.clientsFor(handle).batch.send(new TerminateJobCommand({jobId, reason: `${cancelReasonPrefix} cancel (run ${handle.runId})`}))
    }
  }

  private handleOf(run: RunRecord, job: PartitionJob, id: string, settings: BatchSettings): BatchHandle {
    return {
      executor: this.name,
      runId: run.id,
      quarter: job.quarter,
      partition: job.partition,
      id,
      ...endpointOf(settings),
      jobQueue: settings.jobQueue,
      logGroup: settings.logGroup,
      stuckRunnableMinutes: settings.stuckRunnableMinutes,
    }
  }

  /** Batch forgets old finished jobs: then the worker's own progress file says how the partition ended. */
  private async forgottenJob(handle: BatchHandle): Promise<JobState> {
    const progress = await readProgress(this.context.storage, handle.runId, handle.quarter, handle.partition)
    if (progress?.phase === 'done' && progress.exitCode === 0) return {handle, phase: 'succeeded', backendStatus: 'unknown to Batch; progress says done', attempts: progress.attempt}
    return {handle, phase: 'failed', reason: `Batch does not know job ${handle.id} (finished long ago, or another account or region)`, backendStatus: 'unknown'}
  }

  /** Adds the queue's and compute environment's reasons to jobs RUNNABLE for longer than their threshold. */
  private async explainStuck(handles: BatchHandle[], states: JobState[], details: Map<string, JobDetail>): Promise<JobState[]> {
    const stuck = states.filter((state, index) => {
      const handle = handles[index]!
      const detail = details.get(`${endpointKey(handle)} ${handle.id}`)
      const since = detail && detail.status === 'RUNNABLE' ? waitingSince(detail) : undefined
      return since !== undefined && handle.stuckRunnableMinutes > 0 && this.now() - since > handle.stuckRunnableMinutes * 60_000
    })
    if (stuck.length === 0) return states
    const first = stuck[0]!.handle as BatchHandle
    const why = await queueReasons(this.clientsFor(first).batch, first.jobQueue)
    for (const state of stuck) {
      const handle = state.handle as BatchHandle
      const detail = details.get(`${endpointKey(handle)} ${handle.id}`)!
      const minutes = Math.floor((this.now() - waitingSince(detail)!) / 60_000)
      state.reason = `RUNNABLE for ${minutes} min (threshold ${handle.stuckRunnableMinutes}): ${detail.statusReason ?? 'Batch gives no reason'}; ${why}`
    }
    return states
  }

  private clientsFor(where: BatchEndpoint): BatchClients {
    const key = endpointKey(where)
    let clients = this.clients.get(key)
    if (!clients) {
      clients = createBatchClients(where)
      this.clients.set(key, clients)
    }
    return clients
  }
}

function endpointOf(settings: BatchSettings): BatchEndpoint {
  return {region: settings.region, ...(settings.endpoint ? {endpoint: settings.endpoint} : {}), apiAttempts: settings.apiAttempts}
}

function endpointKey(where: BatchEndpoint): string {
  return `${where.region} ${where.endpoint ?? ''}`
}

function groupByEndpoint(handles: JobHandle[]): Map<string, BatchHandle[]> {
  const groups = new Map<string, BatchHandle[]>()
  for (const handle of handles as BatchHandle[]) {
    const key = endpointKey(handle)
    groups.set(key, [...(groups.get(key) ?? []), handle])
  }
  return groups
}
