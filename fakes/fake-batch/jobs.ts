import {randomBytes, randomUUID} from 'node:crypto'
import type {Resources, StoredDefinition} from './resources.js'
import {retryStrategyProblem, shouldRetry, type EvaluateOnExit} from './retry-evaluation.js'
import {clientError, page} from './wire.js'

type Status = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED'
const statuses: Status[] = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED']

/** One attempt, as `attempts[]` shows it once it has ended. */
export interface Attempt {
  container: {taskArn?: string; logStreamName?: string; exitCode?: number; reason?: string}
  startedAt?: number
  stoppedAt?: number
  statusReason?: string
}

/** How an attempt under way is being stopped, which decides its status reason. */
export type StopKind = 'spot' | 'terminate' | 'timeout'

/** A job the fake keeps: an ordinary job, an array parent, or an array child. */
export interface FakeJob {
  jobId: string
  jobName: string
  queue: Record<string, unknown>
  definition: StoredDefinition
  status: Status
  statusReason?: string
  createdAt: number
  startedAt?: number
  stoppedAt?: number
  attempts: Attempt[]
  current?: Attempt & {stop?: StopKind; stopReason?: string; gpus: number[]}
  retryStrategy?: {attempts?: number; evaluateOnExit?: EvaluateOnExit[]}
  timeout?: {attemptDurationSeconds?: number}
  tags: Record<string, string>
  dependsOn: {jobId: string; type?: string}[]
  overrides: {environment?: {name: string; value: string}[]; command?: string[]; resourceRequirements?: {type: string; value: string}[]}
  size?: number
  index?: number
  parentId?: string
  childrenSpawned?: boolean
  isCancelled?: boolean
  isTerminated?: boolean
}

/** The job table: SubmitJob's validation, lookups and the JobDetail/JobSummary shapes. */
export class JobTable {
  readonly jobs = new Map<string, FakeJob>()
  /** Jobs DescribeJobs no longer answers for, as Batch forgets old finished jobs. */
  readonly forgotten = new Set<string>()

  constructor(readonly resources: Resources) {}

  submit(body: Record<string, unknown>, now: number): unknown {
    const name = String(body.jobName ?? '')
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(name)) throw clientError(`Invalid job name ${name}`)
    const queue = this.resources.queue(String(body.jobQueue ?? ''))
    if (!queue) throw clientError(`Job queue ${body.jobQueue} does not exist`)
    const definition = this.resources.definition(String(body.jobDefinition ?? ''))
    const overrides = (body.containerOverrides ?? {}) as FakeJob['overrides']
    const reserved = (overrides.environment ?? []).find((variable) => variable.name.startsWith('AWS_BATCH'))
    if (reserved) throw clientError(`Environment variable ${reserved.name} may not start with AWS_BATCH`)
    const retryStrategy = (body.retryStrategy ?? definition.retryStrategy) as FakeJob['retryStrategy']
    const problem = retryStrategyProblem(retryStrategy)
    if (problem) throw clientError(problem)
    const dependsOn = (body.dependsOn ?? []) as FakeJob['dependsOn']
    if (dependsOn.length > 20) throw clientError('dependsOn may list at most 20 jobs')
    for (const dependency of dependsOn) if (!this.jobs.has(dependency.jobId)) throw clientError(`Dependent job ${dependency.jobId} does not exist`)
    const tags = (body.tags ?? {}) as Record<string, string>
    if (Object.keys(tags).length > 50) throw clientError('At most 50 tags')
    const size = (body.arrayProperties as {size?: number} | undefined)?.size
    if (size !== undefined && (size < 2 || size > 10_000)) throw clientError('arrayProperties.size must be between 2 and 10000')
    const timeout = (body.timeout ?? definition.timeout) as FakeJob['timeout']
    if (timeout?.attemptDurationSeconds !== undefined && timeout.attemptDurationSeconds < 60) throw clientError('timeout.attemptDurationSeconds must be at least 60')
    const job: FakeJob = {
      jobId: randomUUID(), jobName: name, queue, definition, status: 'SUBMITTED', createdAt: now, attempts: [], retryStrategy, timeout,
      tags: body.propagateTags || definition.propagateTags ? {...(definition.tags as Record<string, string> | undefined), ...tags} : tags,
      dependsOn, overrides, size,
    }
    this.jobs.set(job.jobId, job)
    return {jobArn: this.arn(job), jobName: name, jobId: job.jobId}
  }

  /** Spawns the children `<parent>:<index>` of an array job, in PENDING. */
  spawnChildren(parent: FakeJob, now: number): void {
    for (let index = 0; index < parent.size!; index++) {
      const child: FakeJob = {...parent, jobId: `${parent.jobId}:${index}`, status: 'PENDING', createdAt: now, attempts: [], dependsOn: [], size: undefined, index, parentId: parent.jobId}
      this.jobs.set(child.jobId, child)
    }
    parent.childrenSpawned = true
  }

  children(parent: FakeJob): FakeJob[] {
    return Array.from({length: parent.childrenSpawned ? parent.size! : 0}, (_, index) => this.jobs.get(`${parent.jobId}:${index}`)!)
  }

  get(jobId: string): FakeJob {
    const job = this.jobs.get(jobId)
    if (!job) throw clientError(`Job ${jobId} does not exist`)
    return job
  }

  describe(body: Record<string, unknown>): unknown {
    const ids = (body.jobs ?? []) as string[]
    if (ids.length > 100) throw clientError('DescribeJobs takes at most 100 job ids')
    return {jobs: ids.flatMap((id) => (this.jobs.has(id) && !this.forgotten.has(id) ? [this.detail(this.jobs.get(id)!)] : []))}
  }

  /** ListJobs: one of jobQueue or arrayJobId; without jobStatus (and filters) only RUNNING jobs come back. */
  list(body: Record<string, unknown>): unknown {
    const scopes = ['jobQueue', 'arrayJobId', 'multiNodeJobId'].filter((key) => body[key] !== undefined)
    if (scopes.length !== 1) throw clientError('Specify exactly one of jobQueue, arrayJobId or multiNodeJobId')
    const filters = (body.filters ?? []) as {name: string; values: string[]}[]
    if (filters.length > 1) throw clientError('Only one filter at a time')
    let found: FakeJob[]
    if (body.arrayJobId !== undefined) found = this.children(this.get(String(body.arrayJobId)))
    else if (body.jobQueue !== undefined) {
      const queue = this.resources.queue(String(body.jobQueue))
      found = [...this.jobs.values()].filter((job) => job.queue === queue && job.parentId === undefined)
    } else found = []
    const filter = body.arrayJobId === undefined ? filters[0] : undefined
    if (filter?.name === 'JOB_NAME') {
      // Batch matches JOB_NAME case-insensitively; a trailing * matches a prefix.
      const pattern = (filter.values[0] ?? '').toLowerCase()
      const name = (job: FakeJob): string => job.jobName.toLowerCase()
      found = found.filter((job) => (pattern.endsWith('*') ? name(job).startsWith(pattern.slice(0, -1)) : name(job) === pattern)).sort((a, b) => b.createdAt - a.createdAt)
    } else {
      const status = String(body.jobStatus ?? 'RUNNING')
      found = found.filter((job) => job.status === status)
    }
    const result = page(found, body.maxResults as number | undefined, body.nextToken as string | undefined, filter ? 100 : 1000)
    return {jobSummaryList: result.items.map((job) => this.summary(job)), ...(result.nextToken ? {nextToken: result.nextToken} : {})}
  }

  /** Makes DescribeJobs forget finished jobs (an array job with its children), as Batch does after a while. */
  forget(jobIds: string[]): void {
    for (const id of jobIds) {
      const job = this.get(id)
      if (job.status !== 'SUCCEEDED' && job.status !== 'FAILED') throw new Error(`job ${id} is ${job.status}: Batch forgets only finished jobs`)
      this.forgotten.add(id)
      for (const child of job.size !== undefined ? this.children(job) : []) this.forgotten.add(child.jobId)
    }
  }

  arn(job: FakeJob): string {
    return this.resources.arn('job', job.jobId)
  }

  /** The environment a job's container sees, before Batch's own AWS_BATCH_* variables. */
  environment(job: FakeJob): {name: string; value: string}[] {
    const merged = new Map(job.definition.containerProperties.environment.map((variable) => [variable.name, variable.value]))
    for (const variable of job.overrides.environment ?? []) merged.set(variable.name, variable.value)
    return [...merged].map(([name, value]) => ({name, value}))
  }

  /** Resource requirements with the overrides applied. */
  requirement(job: FakeJob, type: string): number {
    const find = (list?: {type: string; value: string}[]): string | undefined => list?.find((entry) => entry.type === type)?.value
    return Number(find(job.overrides.resourceRequirements) ?? find(job.definition.containerProperties.resourceRequirements) ?? 0)
  }

  private detail(job: FakeJob): unknown {
    const last = job.current ?? job.attempts.at(-1)
    const arrayProperties = job.size !== undefined ? {size: job.size, statusSummary: this.statusSummary(job), statusSummaryLastUpdatedAt: Date.now()} : job.index !== undefined ? {index: job.index} : undefined
    return {
      ...this.summary(job),
      jobQueue: job.queue.jobQueueArn,
      jobDefinition: job.definition.jobDefinitionArn,
      attempts: job.attempts,
      retryStrategy: job.retryStrategy,
      timeout: job.timeout,
      dependsOn: job.dependsOn,
      tags: job.tags,
      parameters: {},
      platformCapabilities: job.definition.platformCapabilities ?? ['EC2'],
      isCancelled: job.isCancelled ?? false,
      isTerminated: job.isTerminated ?? false,
      ...(arrayProperties ? {arrayProperties} : {}),
      container: {
        image: job.definition.containerProperties.image,
        command: job.overrides.command ?? job.definition.containerProperties.command ?? [],
        environment: this.environment(job),
        resourceRequirements: job.definition.containerProperties.resourceRequirements ?? [],
        logConfiguration: job.definition.containerProperties.logConfiguration,
        ...(last?.container ?? {}),
      },
    }
  }

  private summary(job: FakeJob): Record<string, unknown> {
    return {
      jobArn: this.arn(job), jobId: job.jobId, jobName: job.jobName, createdAt: job.createdAt, status: job.status,
      ...(job.statusReason ? {statusReason: job.statusReason} : {}),
      ...(job.startedAt ? {startedAt: job.startedAt} : {}),
      ...(job.stoppedAt ? {stoppedAt: job.stoppedAt} : {}),
      jobDefinition: job.definition.jobDefinitionArn,
      ...(job.index !== undefined ? {arrayProperties: {index: job.index}} : job.size !== undefined ? {arrayProperties: {size: job.size}} : {}),
    }
  }

  private statusSummary(parent: FakeJob): Record<string, number> {
    const counts = Object.fromEntries(statuses.map((status) => [status, 0]))
    for (const child of this.children(parent)) counts[child.status]!++
    return counts
  }
}

/** `Host EC2 (instance i-0123456789abcdef0) terminated.`: how Batch reports a reclaimed Spot host. */
export function spotReason(): string {
  return `Host EC2 (instance i-${randomBytes(9).toString('hex').slice(0, 17)}) terminated.`
}

export {shouldRetry}
