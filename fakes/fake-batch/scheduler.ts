import {type ChildProcess, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {createInterface} from 'node:readline'
import {type FakeJob, type JobTable, shouldRetry, spotReason, type StopKind} from './jobs.js'
import type {LogStore} from './log-store.js'
import type {Resources} from './resources.js'
import {clientError} from './wire.js'

/** How the fake "runs a container": the command for every image (the process path: the built CLI's worker). */
export interface SchedulerOptions {
  command: {file: string; arguments: string[]}
  /** Images that run something else than `command` (e.g. an entrypoint that exits 0 without working), by image name. */
  images?: Record<string, {file: string; arguments: string[]}>
  /** The environment every container starts from (PATH and the like); the job's variables are added to it. */
  baseEnvironment: NodeJS.ProcessEnv
  /** GPUs on the fake host, handed out exclusively (NVIDIA_VISIBLE_DEVICES). */
  gpus: number
  /** Most attempts running at once (a small compute environment). */
  slots: number
  /** Secret values by ARN, what Secrets Manager would give the container. */
  secretValues: Record<string, string>
  /** Seconds between SIGTERM and SIGKILL when a container is stopped. */
  stopTimeoutSeconds: number
  /**
   * Real milliseconds per second of an attempt's timeout (1000 as on Batch): Batch refuses timeouts under 60 s, so a
   * test shortens time instead of the setting.
   */
  timeoutMsPerSecond?: number
}

const finished = (job: FakeJob): boolean => job.status === 'SUCCEEDED' || job.status === 'FAILED'

/** Moves jobs through Batch's states one step per tick and runs their attempts as processes. */
export class Scheduler {
  private readonly processes = new Map<string, ChildProcess>()
  private readonly timer: NodeJS.Timeout
  private readonly busyGpus = new Set<number>()
  /** While set, RUNNABLE jobs stay RUNNABLE with this reason (no capacity). */
  capacityProblem?: string
  /** While true, nothing moves (e.g. array children not yet spawned right after SubmitJob). */
  paused = false
  /** Images whose pull fails: their attempts end in STARTING with ECS's CannotPullContainerError. */
  readonly unpullableImages = new Set<string>()

  constructor(
    private readonly table: JobTable,
    private readonly resources: Resources,
    private readonly logs: LogStore,
    private readonly options: SchedulerOptions,
  ) {
    this.timer = setInterval(() => this.tick(), 20)
  }

  /** Stops ticking and kills what still runs. */
  close(): void {
    clearInterval(this.timer)
    for (const child of this.processes.values()) child.kill('SIGKILL')
  }

  /** One step for every job. */
  tick(now = Date.now()): void {
    if (this.paused) return
    for (const job of [...this.table.jobs.values()]) this.step(job, now)
  }

  private step(job: FakeJob, now: number): void {
    if (job.size !== undefined) return this.stepParent(job, now)
    if (job.status === 'SUBMITTED' || job.status === 'PENDING') {
      if (job.parentId) return this.setStatus(job, 'RUNNABLE')
      const dependencies = job.dependsOn.map((dependency) => this.table.get(dependency.jobId))
      if (dependencies.some((dependency) => dependency.status === 'FAILED')) return this.fail(job, 'Dependent Job failed', now)
      this.setStatus(job, dependencies.every((dependency) => dependency.status === 'SUCCEEDED') ? 'RUNNABLE' : 'PENDING')
    } else if (job.status === 'RUNNABLE') {
      this.place(job, now)
    } else if (job.status === 'STARTING') {
      this.run(job, now)
    }
  }

  private stepParent(parent: FakeJob, now: number): void {
    if (finished(parent)) return
    if (!parent.childrenSpawned) {
      const dependencies = parent.dependsOn.map((dependency) => this.table.get(dependency.jobId))
      if (dependencies.some((dependency) => dependency.status === 'FAILED')) return this.fail(parent, 'Dependent Job failed', now)
      if (dependencies.every((dependency) => dependency.status === 'SUCCEEDED')) this.table.spawnChildren(parent, now)
      return this.setStatus(parent, 'PENDING')
    }
    const children = this.table.children(parent)
    if (!children.every(finished)) return
    if (children.every((child) => child.status === 'SUCCEEDED')) this.setStatus(parent, 'SUCCEEDED')
    else this.fail(parent, parent.statusReason ?? 'Array Child Job failed', now)
    parent.stoppedAt = now
  }

  /** RUNNABLE → STARTING when a slot and the GPUs are free; the attempt gets its task ARN. */
  private place(job: FakeJob, now: number): void {
    if (this.capacityProblem) {
      job.statusReason = this.capacityProblem
      return
    }
    const gpus = this.table.requirement(job, 'GPU')
    const free = Array.from({length: this.options.gpus}, (_, index) => index).filter((index) => !this.busyGpus.has(index))
    const running = [...this.table.jobs.values()].filter((other) => other.status === 'STARTING' || other.status === 'RUNNING').length
    if (running >= this.options.slots || free.length < gpus) return
    const taskId = randomBytes(16).toString('hex')
    job.current = {container: {taskArn: `arn:aws:ecs:${this.resources.region}:123456789012:task/fake-cluster/${taskId}`}, gpus: free.slice(0, gpus)}
    for (const index of job.current.gpus) this.busyGpus.add(index)
    job.statusReason = undefined
    this.setStatus(job, 'STARTING')
    // ECS RunTask refuses overrides above 8192 characters: SubmitJob succeeded, the job fails now.
    if (JSON.stringify(job.overrides).length > 8192) this.endAttempt(job, {statusReason: 'Container Overrides length must be at most 8192'}, now, false)
  }

  /** STARTING → RUNNING: the container (a worker process) starts, its output goes to the attempt's log stream. */
  private run(job: FakeJob, now: number): void {
    const attempt = job.current!
    const properties = job.definition.containerProperties
    const image = String(properties.image)
    if (this.unpullableImages.has(image)) {
      const reason = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`
      return this.endAttempt(job, {statusReason: 'Task failed to start', reason}, now, false)
    }
    const logOptions = ((properties.logConfiguration as {options?: Record<string, string>} | undefined)?.options ?? {})
    const group = logOptions['awslogs-group'] ?? '/aws/batch/job'
    const stream = `${(logOptions['awslogs-stream-prefix'] ?? job.definition.jobDefinitionName).slice(0, 200)}/default/${attempt.container.taskArn!.split('/').at(-1)}`
    const environment: NodeJS.ProcessEnv = {...this.options.baseEnvironment}
    for (const variable of this.table.environment(job)) environment[variable.name] = variable.value
    for (const secret of (properties.secrets ?? []) as {name: string; valueFrom: string}[]) {
      const value = this.options.secretValues[secret.valueFrom]
      if (value === undefined) return this.endAttempt(job, {statusReason: `ResourceInitializationError: unable to pull secrets: ${secret.valueFrom} not found`}, now, false)
      environment[secret.name] = value
    }
    const queueName = String(job.queue.jobQueueName)
    const firstEnvironment = ((job.queue.computeEnvironmentOrder ?? []) as {computeEnvironment: string}[])[0]?.computeEnvironment ?? ''
    Object.assign(environment, {
      AWS_BATCH_JOB_ID: job.jobId,
      AWS_BATCH_JQ_NAME: queueName,
      AWS_BATCH_CE_NAME: firstEnvironment.split('/').at(-1),
      AWS_BATCH_JOB_ATTEMPT: String(job.attempts.length + 1),
      ...(job.index !== undefined ? {AWS_BATCH_JOB_ARRAY_INDEX: String(job.index), AWS_BATCH_JOB_ARRAY_SIZE: String(this.table.get(job.parentId!).size)} : {}),
      ...(attempt.gpus.length > 0 ? {NVIDIA_VISIBLE_DEVICES: attempt.gpus.join(',')} : {}),
    })
    attempt.container.logStreamName = stream
    attempt.startedAt = now
    job.startedAt = now
    this.logs.createStream(group, stream)
    this.setStatus(job, 'RUNNING')
    const command = this.options.images?.[String(job.definition.containerProperties.image)] ?? this.options.command
    const child = spawn(command.file, command.arguments, {env: environment, stdio: ['ignore', 'pipe', 'pipe']})
    this.processes.set(job.jobId, child)
    for (const output of [child.stdout, child.stderr]) createInterface({input: output}).on('line', (line) => this.logs.append(group, stream, line))
    const seconds = job.timeout?.attemptDurationSeconds
    const timeout = seconds ? setTimeout(() => this.stop(job, 'timeout', 'Job attempt duration exceeded timeout'), seconds * (this.options.timeoutMsPerSecond ?? 1000)) : undefined
    child.on('close', (code, signal) => {
      clearTimeout(timeout)
      this.processes.delete(job.jobId)
      const exitCode = code ?? (signal === 'SIGKILL' ? 137 : 143)
      const kind = attempt.stop
      if (kind === 'spot') return this.endAttempt(job, {statusReason: attempt.stopReason}, Date.now(), true)
      const statusReason = kind ? attempt.stopReason : 'Essential container in task exited'
      this.endAttempt(job, {statusReason, exitCode}, Date.now(), kind === undefined)
    })
  }

  /** Records the attempt and moves the job on: SUCCEEDED, back to RUNNABLE (the retry strategy), or FAILED. */
  private endAttempt(job: FakeJob, end: {statusReason?: string; exitCode?: number; reason?: string}, now: number, retryable: boolean): void {
    const current = job.current!
    for (const index of current.gpus) this.busyGpus.delete(index)
    const attempt = {
      container: {...current.container, ...(end.exitCode !== undefined ? {exitCode: end.exitCode} : {}), ...(end.reason ? {reason: end.reason} : {})},
      ...(current.startedAt ? {startedAt: current.startedAt} : {}),
      stoppedAt: now,
      ...(end.statusReason ? {statusReason: end.statusReason} : {}),
    }
    job.attempts.push(attempt)
    job.current = undefined
    if (end.exitCode === 0 && retryable) {
      job.stoppedAt = now
      return this.setStatus(job, 'SUCCEEDED')
    }
    if (retryable && shouldRetry(job.retryStrategy, job.attempts.length, end)) return this.setStatus(job, 'RUNNABLE')
    this.fail(job, end.statusReason ?? 'Essential container in task exited', now)
  }

  /** Stops a running attempt: SIGTERM, then SIGKILL after the stop timeout. */
  stop(job: FakeJob, kind: StopKind, reason: string): void {
    const child = this.processes.get(job.jobId)
    if (!child || !job.current) return
    job.current.stop = kind
    job.current.stopReason = reason
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutSeconds * 1000).unref()
  }

  /** A Spot reclaim of the host running a job: the attempt ends with `Host EC2 (instance i-…) terminated.` */
  interruptSpot(jobId: string): string {
    const job = this.table.get(jobId)
    if (job.status !== 'RUNNING') throw new Error(`job ${jobId} is ${job.status}, not RUNNING`)
    const reason = spotReason()
    this.stop(job, 'spot', reason)
    return reason
  }

  /** TerminateJob (all states) and CancelJob (only before STARTING); an array parent passes it to its children. */
  end(jobId: string, reason: string, terminate: boolean, now = Date.now()): void {
    if (!reason) throw clientError('reason is required')
    if (reason.length > 1024) throw clientError('reason may have at most 1024 characters')
    const job = this.table.get(jobId)
    if (finished(job)) return
    if (job.size !== undefined) {
      for (const child of this.table.children(job)) this.end(child.jobId, reason, terminate, now)
      job.statusReason = reason
      if (!job.childrenSpawned) this.fail(job, reason, now)
      return
    }
    if (job.status === 'STARTING' || job.status === 'RUNNING') {
      if (!terminate) return
      job.isTerminated = true
      if (job.status === 'RUNNING') return this.stop(job, 'terminate', reason)
      for (const index of job.current?.gpus ?? []) this.busyGpus.delete(index)
      job.current = undefined
    }
    if (terminate) job.isTerminated = true
    else job.isCancelled = true
    this.fail(job, reason, now)
  }

  private fail(job: FakeJob, reason: string, now: number): void {
    job.statusReason = reason
    job.stoppedAt = now
    this.setStatus(job, 'FAILED')
  }

  private setStatus(job: FakeJob, status: FakeJob['status']): void {
    job.status = status
  }
}
