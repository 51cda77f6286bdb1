import {type BatchClient, DescribeJobsCommand, type JobDetail} from '@aws-sdk/client-batch'
import {withRetry} from '../../src/core/retry.js'

/** DescribeJobs takes at most this many job ids. */
export const describeJobsLimit = 100

/** True for Batch's throttling answers and server faults, worth a later try. */
export function isThrottled(error: unknown): boolean {
  const candidate = error as {name?: string; $metadata?: {httpStatusCode?: number}}
  const status = candidate?.$metadata?.httpStatusCode
  return candidate?.name === 'TooManyRequestsException' || candidate?.name === 'ThrottlingException' || status === 429 || (status !== undefined && status >= 500)
}

/**
 * Describes jobs by id in requests of at most 100, each retried with exponential backoff while throttled. Ids Batch
 * no longer knows (old terminal jobs) are missing from the map.
 */
export async function describeJobs(client: BatchClient, ids: string[], options: {baseDelayMs?: number} = {}): Promise<Map<string, JobDetail>> {
  const unique = [...new Set(ids)]
  const found = new Map<string, JobDetail>()
  for (let start = 0; start < unique.length; start += describeJobsLimit) {
    const chunk = unique.slice(start, start + describeJobsLimit)
    const response = await withRetry(() => client.send(new DescribeJobsCommand({jobs: chunk})), {
      attempts: 8,
      baseDelayMs: options.baseDelayMs ?? 250,
      maxDelayMs: 10_000,
      isRetryable: isThrottled,
    })
    for (const job of response.jobs ?? []) if (job.jobId) found.set(job.jobId, job)
  }
  return found
}
