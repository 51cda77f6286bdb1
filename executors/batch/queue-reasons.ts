import {type BatchClient, DescribeComputeEnvironmentsCommand, DescribeJobQueuesCommand} from '@aws-sdk/client-batch'

/** The job queue's and its compute environments' state and reasons in one line, to say why jobs wait. */
export async function queueReasons(client: BatchClient, jobQueue: string): Promise<string> {
  const queue = (await client.send(new DescribeJobQueuesCommand({jobQueues: [jobQueue]}))).jobQueues?.[0]
  if (!queue) return `job queue ${jobQueue} does not exist`
  const parts = [`queue ${queue.jobQueueName} ${queue.state}/${queue.status}${queue.statusReason ? `: ${queue.statusReason}` : ''}`]
  const names = (queue.computeEnvironmentOrder ?? []).map((entry) => entry.computeEnvironment!).filter(Boolean)
  if (names.length > 0) {
    const environments = (await client.send(new DescribeComputeEnvironmentsCommand({computeEnvironments: names}))).computeEnvironments ?? []
    for (const environment of environments) {
      const resources = environment.computeResources
      const capacity = resources ? `, ${resources.type} ${resources.minvCpus ?? 0}-${resources.maxvCpus} vCPUs, ${(resources.instanceTypes ?? []).join(' ')}` : ''
      parts.push(`compute environment ${environment.computeEnvironmentName} ${environment.state}/${environment.status}${capacity}${environment.statusReason ? `: ${environment.statusReason}` : ''}`)
    }
  }
  return parts.join('; ')
}
