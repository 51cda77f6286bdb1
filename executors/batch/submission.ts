import type {SubmitJobCommandInput} from '@aws-sdk/client-batch'
import type {BatchSettings} from './batch-settings.js'
import {UserError} from '../../src/base/errors.js'
import type {PartitionJob} from '../../src/core/executor.js'
import type {Quarter} from '../../src/base/quarter.js'
import {type WorkerJob, workerEnvironment} from '../../src/core/worker-contract.js'

/** Batch runs a job's container overrides through ECS RunTask, which fails the job above this many characters. */
export const containerOverridesLimit = 8192
/** Batch rejects a SubmitJob request body above 30 KiB. */
export const submitPayloadLimit = 30 * 1024

/** One SubmitJob request and the partitions it runs. */
export interface PlannedSubmission {
  /** A name for this request, used by later requests that depend on it before its job id exists. */
  key: string
  input: SubmitJobCommandInput
  /** The partitions it runs; for an array job, partition i is child i. */
  partitions: PartitionJob[]
  array: boolean
  /** The key of the submission this one waits for (a --parallel chain). */
  after?: string
}

/**
 * The SubmitJob requests for a run's partitions. When all partitions fit in `parallel`, each quarter is one array
 * job (its child index is the partition; a one-partition quarter is a plain job). Otherwise the partitions are dealt
 * round-robin into `parallel` chains of plain jobs, each waiting for the previous one of its chain, so that at most
 * `parallel` run at once, as on every executor.
 */
export function planSubmissions(runId: string, jobs: PartitionJob[], parallel: number, settings: BatchSettings): PlannedSubmission[] {
  const ordered = [...jobs].sort((a, b) => (a.quarter === b.quarter ? a.partition - b.partition : a.quarter < b.quarter ? -1 : 1))
  const planned =
    ordered.length <= parallel ? arraySubmissions(runId, ordered, settings) : chainSubmissions(runId, ordered, parallel, settings)
  for (const submission of planned) checkSubmitLimits(submission.input)
  return planned
}

function arraySubmissions(runId: string, jobs: PartitionJob[], settings: BatchSettings): PlannedSubmission[] {
  const quarters = [...new Set(jobs.map((job) => job.quarter))]
  return quarters.flatMap((quarter) => {
    const partitions = jobs.filter((job) => job.quarter === quarter)
    const contiguous = partitions.every((job, index) => job.partition === index)
    if (partitions.length === 1 || !contiguous) return partitions.map((job) => singleSubmission(runId, job, settings))
    const input = baseInput(runId, quarter, jobName(runId, quarter), settings, {task: 'partition', runRecordLocation: partitions[0]!.runRecordLocation, quarter})
    input.arrayProperties = {size: partitions.length}
    return [{key: `${quarter}`, input, partitions, array: true}]
  })
}

function chainSubmissions(runId: string, jobs: PartitionJob[], parallel: number, settings: BatchSettings): PlannedSubmission[] {
  const lastOfChain: (string | undefined)[] = Array.from({length: parallel}, () => undefined)
  return jobs.map((job, index) => {
    const chain = index % parallel
    const submission = {...singleSubmission(runId, job, settings), after: lastOfChain[chain]}
    lastOfChain[chain] = submission.key
    return submission
  })
}

function singleSubmission(runId: string, job: PartitionJob, settings: BatchSettings): PlannedSubmission {
  const contract: WorkerJob = {task: 'partition', runRecordLocation: job.runRecordLocation, quarter: job.quarter, partition: job.partition}
  const input = baseInput(runId, job.quarter, `${jobName(runId, job.quarter)}-p${String(job.partition).padStart(5, '0')}`, settings, contract)
  input.tags!['ftm-partition'] = String(job.partition)
  return {key: `${job.quarter}/${job.partition}`, input, partitions: [job], array: false}
}

function baseInput(runId: string, quarter: Quarter, name: string, settings: BatchSettings, contract: WorkerJob): SubmitJobCommandInput {
  return {
    jobName: name,
    jobQueue: settings.jobQueue,
    jobDefinition: settings.jobDefinition,
    // Only where the run record is and which quarter: the firm lists stay in the manifests in storage.
    containerOverrides: {environment: batchEnvironment(contract)},
    tags: {'ftm-run-id': runId, 'ftm-quarter': quarter},
    propagateTags: true,
  }
}

/** The worker contract as Batch container overrides (an array job's children add their index themselves). */
export function batchEnvironment(contract: WorkerJob): {name: string; value: string}[] {
  return Object.entries(workerEnvironment(contract)).map(([name, value]) => ({name, value}))
}

/** `ftm-20261128-143205-7f3a-2024Q1`: the run can be found from the Batch console or ListJobs by name. */
export function jobName(runId: string, quarter: Quarter): string {
  return `ftm-${runId}-${quarter}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128)
}

/** Checks a SubmitJob request against Batch's limits before anything is sent. */
export function checkSubmitLimits(input: SubmitJobCommandInput): void {
  const overrides = JSON.stringify(input.containerOverrides ?? {}).length
  const fix = 'Keep big inputs in storage (the manifests); shorten the --root path if it is very long.'
  if (overrides > containerOverridesLimit) {
    throw new UserError(`The container overrides of job ${input.jobName} have ${overrides} characters; Batch fails jobs above ${containerOverridesLimit}.`, fix)
  }
  const payload = Buffer.byteLength(JSON.stringify(input))
  if (payload > submitPayloadLimit) throw new UserError(`The SubmitJob request for ${input.jobName} has ${payload} bytes; Batch rejects more than ${submitPayloadLimit}.`, fix)
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(input.jobName ?? '')) {
    throw new UserError(`"${input.jobName}" is not a valid Batch job name.`, 'Job names are up to 128 letters, digits, - and _.')
  }
  const size = input.arrayProperties?.size
  if (size !== undefined && (size < 2 || size > 10_000)) {
    throw new UserError(`An array job of ${size} partitions is outside Batch's 2 to 10,000.`, 'Choose --partitions between 2 and 10000.')
  }
}

/** The error of a SubmitJob that failed for good after `submitted` of `total` partitions went to Batch. */
export function submissionFailed(error: UserError, runId: string, submitted: number, total: number): UserError {
  const state = submitted > 0 ? `${submitted} of ${total} partitions were submitted and are in the run record` : 'no partition was submitted'
  const next = submitted > 0 ? `\`ftm cancel ${runId}\` stops the submitted jobs; \`ftm run --resume ${runId}\` submits the rest.` : `\`ftm run --resume ${runId}\` tries again.`
  return new UserError(`${error.message} Run ${runId}: ${state}.`, `${error.hint} ${next}`, {cause: error})
}
