import {
  type BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  type JobDefinition,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch'
import type {BatchSettings} from './batch-settings.js'
import {UserError} from '../../src/base/errors.js'
import {createBatchClients} from './clients.js'
import {type ComputeEnvironmentOptions, computeEnvironmentInput, computeEnvironmentProblems, jobQueueInput, queueProblems} from './environment.js'
import {containsDefinition, jobDefinitionInput} from './job-definition.js'

export interface SetupOptions {
  settings: BatchSettings
  image: string
  /** Create the compute environment and job queue when they are missing. */
  create?: ComputeEnvironmentOptions
  /** Only say what would be sent. */
  dryRun?: boolean
}

/** One request setup sends (or would send). */
export interface SetupRequest {
  operation: 'RegisterJobDefinition' | 'CreateComputeEnvironment' | 'CreateJobQueue'
  input: unknown
}

/** What `ftm batch setup` did and found. */
export interface SetupOutcome {
  dryRun: boolean
  jobDefinition: {name: string; revision?: number; arn?: string; registered: boolean}
  /** Requests sent (or, with dryRun, that would be sent). */
  requests: SetupRequest[]
  /** What is wrong with the queue and compute environment; empty when they are fit for ftm's jobs. */
  problems: string[]
}

/**
 * Registers the worker's job definition (a new revision only when something changed), optionally creates the Spot
 * compute environment and queue, and checks both.
 */
export async function setupBatch(options: SetupOptions): Promise<SetupOutcome> {
  const {settings} = options
  if (!options.image) throw new UserError('No image for the job definition.', 'Pass --image <ECR image URI> (or set batch.image).')
  const desired = jobDefinitionInput(settings, options.image)
  if (options.dryRun) {
    const requests: SetupRequest[] = [{operation: 'RegisterJobDefinition', input: desired}]
    if (options.create) {
      requests.push({operation: 'CreateComputeEnvironment', input: computeEnvironmentInput(settings, options.create)})
      requests.push({operation: 'CreateJobQueue', input: jobQueueInput(settings)})
    }
    return {dryRun: true, jobDefinition: {name: settings.jobDefinition, registered: false}, requests, problems: []}
  }
  const {batch} = createBatchClients({region: settings.region, apiAttempts: settings.apiAttempts, ...(settings.endpoint ? {endpoint: settings.endpoint} : {})})
  const requests: SetupRequest[] = []
  const latest = await latestDefinition(batch, settings.jobDefinition)
  let jobDefinition: SetupOutcome['jobDefinition']
  if (latest && containsDefinition(latest, desired)) {
    jobDefinition = {name: settings.jobDefinition, revision: latest.revision, arn: latest.jobDefinitionArn, registered: false}
  } else {
    const registered = await batch.send(new RegisterJobDefinitionCommand(desired))
    requests.push({operation: 'RegisterJobDefinition', input: desired})
    jobDefinition = {name: settings.jobDefinition, revision: registered.revision, arn: registered.jobDefinitionArn, registered: true}
  }
  if (options.create) requests.push(...(await createMissing(batch, settings, options.create)))
  return {dryRun: false, jobDefinition, requests, problems: await environmentProblems(batch, settings)}
}

/** The newest ACTIVE revision of a job definition, reading every page. */
async function latestDefinition(client: BatchClient, name: string): Promise<JobDefinition | undefined> {
  let latest: JobDefinition | undefined
  let nextToken: string | undefined
  do {
    const page = await client.send(new DescribeJobDefinitionsCommand({jobDefinitionName: name, status: 'ACTIVE', maxResults: 100, nextToken}))
    for (const definition of page.jobDefinitions ?? []) if (!latest || (definition.revision ?? 0) > (latest.revision ?? 0)) latest = definition
    nextToken = page.nextToken
  } while (nextToken)
  return latest
}

async function createMissing(client: BatchClient, settings: BatchSettings, create: ComputeEnvironmentOptions): Promise<SetupRequest[]> {
  const requests: SetupRequest[] = []
  const environments = await client.send(new DescribeComputeEnvironmentsCommand({computeEnvironments: [settings.computeEnvironment]}))
  if (!environments.computeEnvironments?.length) {
    if (create.subnets.length === 0 || create.securityGroups.length === 0 || !create.instanceRole) {
      throw new UserError(
        `Creating compute environment ${settings.computeEnvironment} needs subnets, security groups and an instance role.`,
        'Pass --subnets subnet-a,subnet-b --security-groups sg-x --instance-role ecsInstanceRole.',
      )
    }
    const input = computeEnvironmentInput(settings, create)
    await client.send(new CreateComputeEnvironmentCommand(input))
    requests.push({operation: 'CreateComputeEnvironment', input})
  }
  const queues = await client.send(new DescribeJobQueuesCommand({jobQueues: [settings.jobQueue]}))
  if (!queues.jobQueues?.length) {
    const input = jobQueueInput(settings)
    await client.send(new CreateJobQueueCommand(input))
    requests.push({operation: 'CreateJobQueue', input})
  }
  return requests
}

async function environmentProblems(client: BatchClient, settings: BatchSettings): Promise<string[]> {
  const queue = (await client.send(new DescribeJobQueuesCommand({jobQueues: [settings.jobQueue]}))).jobQueues?.[0]
  const problems = queueProblems(queue, settings)
  const names = (queue?.computeEnvironmentOrder ?? []).map((entry) => entry.computeEnvironment!).filter(Boolean)
  if (names.length === 0) return problems
  const environments = (await client.send(new DescribeComputeEnvironmentsCommand({computeEnvironments: names}))).computeEnvironments ?? []
  for (const name of names) {
    const environment = environments.find((candidate) => candidate.computeEnvironmentArn === name || candidate.computeEnvironmentName === name)
    if (!environment) problems.push(`compute environment ${name} of queue ${settings.jobQueue} does not exist`)
    else problems.push(...computeEnvironmentProblems(environment, settings))
  }
  return problems
}
