import {type BatchClient, DescribeJobsCommand, type JobSummary, ListJobsCommand, type SubmitJobCommandInput, type SubmitJobCommandOutput} from '@aws-sdk/client-batch'
import type {Quarter} from '../../src/base/quarter.js'
import {jobName} from './submission.js'

/** The tag that makes one SubmitJob request recognisable among the jobs of the same name (Batch has no idempotency token). */
export const submissionTag = 'ftm-submission'
/** What the dry run shows for that tag's value: each real request gets a new UUID. */
export const submissionTagPlaceholder = '<a new UUID per request>'

/** A partition job of a run found in the queue by its name. */
export interface NamedJob {
  jobId: string
  jobName: string
  quarter: Quarter
  /** Partition i is child i of an array job; a plain job runs one partition. */
  partitions: number[]
  array: boolean
  createdAt?: number
  status?: string
}

/** Every job in a queue whose name matches a JOB_NAME filter value (`name*` matches a prefix), newest first, all pages. */
export async function listJobsByName(client: BatchClient, jobQueue: string, pattern: string): Promise<JobSummary[]> {
  const found: JobSummary[] = []
  let nextToken: string | undefined
  do {
    const page = await client.send(new ListJobsCommand({jobQueue, filters: [{name: 'JOB_NAME', values: [pattern]}], nextToken}))
    found.push(...(page.jobSummaryList ?? []))
    nextToken = page.nextToken
  } while (nextToken)
  return found
}

/**
 * The partition jobs of a run that Batch still knows, found by the names ftm gives them (`ftm-<run>-<quarter>` for an
 * array job, `…-p00003` for one partition), so jobs missing from the run record (a crash between SubmitJob and the
 * record write) are watched and cancelled too. A filter returns jobs of every status.
 */
export async function findRunJobs(client: BatchClient, jobQueue: string, runId: string, quarters: readonly Quarter[]): Promise<NamedJob[]> {
  const summaries = await listJobsByName(client, jobQueue, `${jobName(runId, '')}*`)
  return summaries.flatMap((summary) => {
    const named = partitionsOfName(summary, runId, quarters)
    return named && summary.jobId ? [{jobId: summary.jobId, jobName: summary.jobName!, ...named, createdAt: summary.createdAt, status: summary.status}] : []
  })
}

function partitionsOfName(summary: JobSummary, runId: string, quarters: readonly Quarter[]): Pick<NamedJob, 'quarter' | 'partitions' | 'array'> | undefined {
  for (const quarter of quarters) {
    const base = jobName(runId, quarter)
    const size = summary.arrayProperties?.size
    if (summary.jobName === base && size !== undefined) return {quarter, partitions: Array.from({length: size}, (_, index) => index), array: true}
    const single = summary.jobName?.startsWith(`${base}-p`) ? /^(\d{5})$/.exec(summary.jobName.slice(base.length + 2)) : null
    if (single) return {quarter, partitions: [Number(single[1])], array: false}
  }
  return undefined
}

/**
 * The job one SubmitJob request created, looked up after an error that may have hidden its success (a 5xx, a
 * timeout): a job of that name in the queue whose submission tag matches. Undefined when there is none, so the
 * request may be sent again without making a second job.
 */
export async function findSubmittedJob(client: BatchClient, input: SubmitJobCommandInput): Promise<SubmitJobCommandOutput | undefined> {
  const token = input.tags?.[submissionTag]
  if (!token || !input.jobQueue || !input.jobName) return undefined
  const candidates = (await listJobsByName(client, input.jobQueue, input.jobName)).flatMap((summary) => (summary.jobId ? [summary.jobId] : [])).slice(0, 100)
  if (candidates.length === 0) return undefined
  const described = await client.send(new DescribeJobsCommand({jobs: candidates}))
  const job = described.jobs?.find((detail) => detail.tags?.[submissionTag] === token)
  return job ? {jobId: job.jobId!, jobName: job.jobName!, jobArn: job.jobArn, $metadata: {}} : undefined
}
