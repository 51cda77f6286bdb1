import {retryStrategyProblem} from './retry-evaluation.js'
import {clientError, page} from './wire.js'

export const account = '123456789012'

/** A registered job definition revision, as DescribeJobDefinitions returns it. */
export interface StoredDefinition {
  jobDefinitionName: string
  jobDefinitionArn: string
  revision: number
  status: 'ACTIVE' | 'INACTIVE'
  type: string
  containerProperties: Record<string, unknown> & {environment: {name: string; value: string}[]; resourceRequirements?: {type: string; value: string}[]}
  retryStrategy?: {attempts?: number; evaluateOnExit?: {action: string}[]}
  timeout?: {attemptDurationSeconds?: number}
  [member: string]: unknown
}

/** Job definitions, job queues and compute environments of one fake account and region. */
export class Resources {
  readonly definitions: StoredDefinition[] = []
  readonly queues: Record<string, unknown>[] = []
  readonly environments: Record<string, unknown>[] = []

  constructor(readonly region: string) {}

  arn(kind: string, name: string): string {
    return `arn:aws:batch:${this.region}:${account}:${kind}/${name}`
  }

  /** RegisterJobDefinition: a new revision every time, as Batch does. */
  register(body: Record<string, unknown>): unknown {
    const name = String(body.jobDefinitionName ?? '')
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(name)) throw clientError(`Invalid job definition name ${name}`)
    if (body.type !== 'container') throw clientError('The fake supports only type container')
    if (Buffer.byteLength(JSON.stringify(body)) > 24 * 1024) throw clientError('RegisterJobDefinition request is larger than 24 KiB')
    const problem = retryStrategyProblem(body.retryStrategy as StoredDefinition['retryStrategy'])
    if (problem) throw clientError(problem)
    const container = (body.containerProperties ?? {}) as Record<string, unknown>
    if (!container.image) throw clientError('containerProperties.image is required')
    const revision = this.definitions.filter((definition) => definition.jobDefinitionName === name).length + 1
    // Batch adds empty defaults to what it stores; callers comparing definitions must tolerate them.
    const stored: StoredDefinition = {
      ...body,
      jobDefinitionName: name,
      jobDefinitionArn: this.arn('job-definition', `${name}:${revision}`),
      revision,
      status: 'ACTIVE',
      type: 'container',
      parameters: body.parameters ?? {},
      containerProperties: {environment: [], mountPoints: [], volumes: [], ulimits: [], ...container} as StoredDefinition['containerProperties'],
    }
    this.definitions.push(stored)
    return {jobDefinitionName: name, jobDefinitionArn: stored.jobDefinitionArn, revision}
  }

  describeDefinitions(body: Record<string, unknown>): unknown {
    const wanted = body.jobDefinitions as string[] | undefined
    if (wanted && wanted.length > 100) throw clientError('jobDefinitions may list at most 100 entries')
    let found = this.definitions.filter((definition) => (!body.jobDefinitionName || definition.jobDefinitionName === body.jobDefinitionName) && (!body.status || definition.status === body.status))
    if (wanted) found = found.filter((definition) => wanted.some((reference) => this.resolves(reference, definition)))
    const result = page(found, body.maxResults as number | undefined, body.nextToken as string | undefined)
    return {jobDefinitions: result.items, ...(result.nextToken ? {nextToken: result.nextToken} : {})}
  }

  /** Resolves a name (latest ACTIVE revision), name:revision or ARN. */
  definition(reference: string): StoredDefinition {
    const candidates = this.definitions.filter((definition) => definition.status === 'ACTIVE' && this.resolves(reference, definition))
    const latest = candidates.sort((a, b) => b.revision - a.revision)[0]
    if (!latest) throw clientError(`Job definition ${reference} does not exist`)
    return latest
  }

  private resolves(reference: string, definition: StoredDefinition): boolean {
    const bare = reference.startsWith('arn:') ? reference.split('job-definition/')[1] ?? '' : reference
    return bare === definition.jobDefinitionName || bare === `${definition.jobDefinitionName}:${definition.revision}`
  }

  createEnvironment(body: Record<string, unknown>): unknown {
    const name = String(body.computeEnvironmentName ?? '')
    if (this.environments.some((environment) => environment.computeEnvironmentName === name)) throw clientError(`Object already exists: ${name}`)
    const arn = this.arn('compute-environment', name)
    this.environments.push({...body, computeEnvironmentName: name, computeEnvironmentArn: arn, state: body.state ?? 'ENABLED', status: 'VALID', statusReason: 'ComputeEnvironment Healthy'})
    return {computeEnvironmentName: name, computeEnvironmentArn: arn}
  }

  createQueue(body: Record<string, unknown>): unknown {
    const name = String(body.jobQueueName ?? '')
    if (this.queues.some((queue) => queue.jobQueueName === name)) throw clientError(`Object already exists: ${name}`)
    const order = ((body.computeEnvironmentOrder ?? []) as {order: number; computeEnvironment: string}[]).map((entry) => {
      const environment = this.environment(entry.computeEnvironment)
      if (!environment) throw clientError(`computeEnvironment ${entry.computeEnvironment} does not exist`)
      return {order: entry.order, computeEnvironment: environment.computeEnvironmentArn}
    })
    const arn = this.arn('job-queue', name)
    this.queues.push({...body, jobQueueName: name, jobQueueArn: arn, state: body.state ?? 'ENABLED', status: 'VALID', statusReason: 'JobQueue Healthy', computeEnvironmentOrder: order})
    return {jobQueueName: name, jobQueueArn: arn}
  }

  describeEnvironments(body: Record<string, unknown>): unknown {
    const wanted = body.computeEnvironments as string[] | undefined
    if (wanted && wanted.length > 100) throw clientError('computeEnvironments may list at most 100 entries')
    const found = this.environments.filter((environment) => !wanted || wanted.some((reference) => this.environment(reference) === environment))
    const result = page(found, body.maxResults as number | undefined, body.nextToken as string | undefined)
    return {computeEnvironments: result.items, ...(result.nextToken ? {nextToken: result.nextToken} : {})}
  }

  describeQueues(body: Record<string, unknown>): unknown {
    const wanted = body.jobQueues as string[] | undefined
    if (wanted && wanted.length > 100) throw clientError('jobQueues may list at most 100 entries')
    const found = this.queues.filter((queue) => !wanted || wanted.some((reference) => this.queue(reference) === queue))
    const result = page(found, body.maxResults as number | undefined, body.nextToken as string | undefined)
    return {jobQueues: result.items, ...(result.nextToken ? {nextToken: result.nextToken} : {})}
  }

  /** A queue by name or ARN. */
  queue(reference: string): Record<string, unknown> | undefined {
    return this.queues.find((queue) => queue.jobQueueName === reference || queue.jobQueueArn === reference)
  }

  /** A compute environment by name or ARN. */
  environment(reference: string): Record<string, unknown> | undefined {
    return this.environments.find((environment) => environment.computeEnvironmentName === reference || environment.computeEnvironmentArn === reference)
  }
}
