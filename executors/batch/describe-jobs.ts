import {type BatchClient, DescribeJobsCommand, type JobDetail} from '@aws-sdk/client-batch'

/** DescribeJobs takes at most this many job ids. */
export const describeJobsLimit = 100

/**
 * Describes jobs by id in requests of at most 100 (the client retries throttled calls with backoff). Ids Batch no
 * longer knows (old terminal jobs) are missing from the map.
 */
export async function describeJobs(client: BatchClient, ids: string[]): Promise<Map<string, JobDetail>> {
  const unique = [...new Set(ids)]
  const found = new Map<string, JobDetail>()
  for (let start = 0; start < unique.length; start += describeJobsLimit) {
    const chunk = unique.slice(start, start + describeJobsLimit)
    const response = await client.send(new DescribeJobsCommand({jobs: chunk}))
    for (const job of response.jobs ?? []) if (job.jobId) found.set(job.jobId, job)
  }
  return found
}
