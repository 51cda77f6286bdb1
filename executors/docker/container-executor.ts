import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {DockerSettings} from './docker-settings.js'
import {UserError} from '../../src/base/errors.js'
import {describeWorkerExit, ExitCode} from '../../src/base/exit-codes.js'
import type {Executor, ExecutorCapabilities, ExecutorContext, JobHandle, JobState, PartitionJob} from '../../src/core/executor.js'
import {logKey} from '../../src/core/layout.js'
import {readProgress} from '../../src/core/progress.js'
import {ftmVersion} from '../../src/core/package-root.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {containerName, localMounts, passedEnvironment, workerContainerSpec} from './container-spec.js'
import {describeEngineError, DockerClient} from './docker-client.js'
import {type DeviceRequest, parseGpus, planGpuSlots} from './gpu-request.js'
import {listWorkerContainers, removeContainers} from './orphans.js'
import {assertPreflight, runPreflight} from './preflight.js'
import {SlotPool} from './slot-pool.js'

/** What differs between the local and the ec2 executor. */
export interface ContainerExecutorVariant {
  name: string
  capabilities: ExecutorCapabilities
  /** Checks the run can use this engine (e.g. ec2 needs an S3 root); throws a UserError otherwise. */
  checkRun(run: RunRecord, settings: DockerSettings): void
  /** Mount local output/source paths at the same path (the engine runs on this machine). */
  mountsLocalPaths(run: RunRecord, settings: DockerSettings): boolean
  /** How to make the image present on this engine, for the preflight's message. */
  buildHint(settings: DockerSettings): string
}

interface ContainerJob {
  state: JobState
  partition: PartitionJob
  containerId?: string
  cancelRequested: boolean
}

/** Runs each partition as a Docker container (one per partition) on a local or remote engine. */
export class ContainerExecutor implements Executor {
  readonly name: string
  readonly capabilities: ExecutorCapabilities
  private readonly jobs = new Map<string, ContainerJob>()
  /** Jobs of another ftm process that this one cancelled. */
  private readonly cancelled = new Set<string>()
  private client?: DockerClient
  private settings?: DockerSettings
  private visibleGpus?: string[]

  constructor(
    private readonly context: ExecutorContext,
    private readonly variant: ContainerExecutorVariant,
  ) {
    this.name = variant.name
    this.capabilities = variant.capabilities
  }

  /** Connects, runs the preflight (Docker, image, GPUs) and removes containers that a dead ftm left for this run. */
  async prepare(run: RunRecord): Promise<void> {
    const settings = run.config.docker
    this.variant.checkRun(run, settings)
    this.settings = settings
    const client = DockerClient.connect({host: settings.host, sshKey: settings.sshKey, environment: this.context.environment})
    this.client = client
    if (settings.preflight) {
      const report = await runPreflight(client, settings, {buildHint: this.variant.buildHint(settings)})
      assertPreflight(report)
      this.visibleGpus = report.gpus
    } else {
      await client.ping()
    }
    const leftovers = await listWorkerContainers(client, run.id)
    const alive = leftovers.filter((container) => !container.orphan && container.running)
    if (alive.length > 0) {
      throw new UserError(
        `Run ${run.id} already has running containers from another ftm process: ${alive.map((container) => container.name).join(', ')}.`,
        'Wait for that process, or cancel it (Ctrl-C there) before resuming here.',
      )
    }
    await removeContainers(client, leftovers, settings.stopTimeout)
  }

  async submit(run: RunRecord, partitions: PartitionJob[]): Promise<JobHandle[]> {
    const {client, settings} = this.ready()
    const slots = Math.max(1, Math.min(run.executor.parallel, partitions.length))
    const gpuSlots = planGpuSlots(parseGpus(settings.gpus), slots, this.visibleGpus)
    const pool = new SlotPool(slots)
    const mounts = this.variant.mountsLocalPaths(run, settings) ? localMounts(run) : []
    const environment = passedEnvironment(run, this.context.environment ?? {})
    const user = mounts.length > 0 && typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid!()}` : undefined
    return partitions.map((partition) => {
      const name = containerName(partition)
      const handle: JobHandle = {executor: this.name, runId: run.id, quarter: partition.quarter, partition: partition.partition, id: name, host: settings.host, sshKey: settings.sshKey}
      const job: ContainerJob = {state: {handle, phase: 'pending'}, partition, cancelRequested: false}
      this.jobs.set(name, job)
      void pool.run((slot) =>
        this.runContainer(client, job, {
          image: settings.image,
          network: settings.network,
          stopTimeout: settings.stopTimeout,
          deviceRequests: gpuSlots[slot] as DeviceRequest[],
          mounts,
          environment,
          user,
          version: ftmVersion,
        }),
      )
      return handle
    })
  }

  /** States of this process's jobs; for jobs of another (or a dead) ftm process, the container, else the worker's progress. */
  async status(handles: JobHandle[]): Promise<JobState[]> {
    return Promise.all(handles.map(async (handle) => this.jobs.get(handle.id)?.state ?? (await this.observe(handle))))
  }

  async *logs(handle: JobHandle, options: {follow?: boolean} = {}): AsyncIterable<string> {
    const job = this.jobs.get(handle.id)
    const container = job ? (job.state.phase === 'running' ? job.containerId : undefined) : (await this.clientFor(handle).inspect(handle.id).catch(() => undefined))?.id
    if (container) {
      yield* this.clientFor(handle).logLines(container, options)
      return
    }
    const key = logKey(handle.runId, handle.quarter, handle.partition)
    const file = this.context.storage.localPath(key)
    const text = file ? await readFile(file, 'utf8').catch(() => '') : Buffer.from((await this.context.storage.read(key)) ?? new Uint8Array()).toString('utf8')
    yield* text.split('\n').filter(Boolean)
  }

  /** Stops running containers (SIGTERM, then SIGKILL after docker.stopTimeout) and removes them; pending ones never start. */
  async cancel(handles: JobHandle[]): Promise<void> {
    await Promise.all(
      handles.map(async (handle) => {
        const job = this.jobs.get(handle.id)
        if (!job) {
          this.cancelled.add(handle.id)
          const client = this.clientFor(handle)
          const container = await client.inspect(handle.id)
          if (container) await removeContainers(client, [container], this.settings?.stopTimeout ?? 60)
          return
        }
        if (job.cancelRequested) return
        job.cancelRequested = true
        if (job.state.phase === 'pending') job.state = {handle, phase: 'cancelled', reason: 'cancelled before it started'}
        else if (job.containerId && this.client) await this.client.stop(job.containerId, this.settings?.stopTimeout ?? 60)
      }),
    )
  }

  private async runContainer(client: DockerClient, job: ContainerJob, spec: Parameters<typeof workerContainerSpec>[1]): Promise<void> {
    const {handle} = job.state
    if (job.cancelRequested) return
    const log = new LogSink(this.context, job.partition)
    try {
      job.containerId = await client.create(workerContainerSpec(job.partition, spec))
      await client.start(job.containerId)
      job.state = {handle, phase: 'running', backendStatus: `container ${job.containerId.slice(0, 12)}`}
      if (job.cancelRequested) await client.stop(job.containerId, spec.stopTimeout)
      const streaming = (async () => {
        for await (const line of client.logLines(job.containerId!, {follow: true})) log.write(line)
      })().catch((error: unknown) => log.write(`ftm: log stream ended: ${describeEngineError(error)}`))
      const exitCode = await client.wait(job.containerId)
      await streaming
      const container = await client.inspect(job.containerId)
      const code = container?.oomKilled ? 137 : exitCode
      const phase = code === ExitCode.ok ? 'succeeded' : job.cancelRequested && (code === ExitCode.terminated || code === 137) ? 'cancelled' : 'failed'
      job.state = {handle, phase, exitCode: code, reason: phase === 'succeeded' ? undefined : describeWorkerExit(code), backendStatus: `exited ${exitCode}`}
    } catch (error) {
      const reason = `the container could not run: ${describeEngineError(error)}`
      log.write(`ftm: ${reason}`)
      job.state = {handle, phase: job.cancelRequested ? 'cancelled' : 'failed', reason}
    } finally {
      if (job.containerId) await client.remove(job.containerId, true).catch(() => undefined)
      await log.close()
    }
  }

  /** A job of another ftm process: its container if it is still there, else what its worker last reported. */
  private async observe(handle: JobHandle): Promise<JobState> {
    const container = await this.clientFor(handle).inspect(handle.id)
    if (container?.running) return {handle, phase: 'running', backendStatus: `container ${container.id.slice(0, 12)}`}
    if (container && container.exitCode !== undefined) {
      const phase = container.exitCode === 0 ? 'succeeded' : this.cancelled.has(handle.id) && container.exitCode === ExitCode.terminated ? 'cancelled' : 'failed'
      return {handle, phase, exitCode: container.exitCode, reason: phase === 'succeeded' ? undefined : describeWorkerExit(container.exitCode), backendStatus: `exited ${container.exitCode}`}
    }
    const progress = await readProgress(this.context.storage, handle.runId, handle.quarter, handle.partition)
    if (progress?.phase === 'done') return {handle, phase: 'succeeded', exitCode: 0, backendStatus: 'container removed'}
    if (progress?.phase === 'stopped') return {handle, phase: 'cancelled', exitCode: progress.exitCode, reason: progress.reason, backendStatus: 'container removed'}
    if (progress?.phase === 'tripped' || progress?.phase === 'failed') {
      return {handle, phase: 'failed', exitCode: progress.exitCode, reason: progress.reason ?? describeWorkerExit(progress.exitCode), backendStatus: 'container removed'}
    }
    if (this.cancelled.has(handle.id)) return {handle, phase: 'cancelled', reason: 'cancelled; its container had not started or was gone', backendStatus: 'no container'}
    if (progress) return {handle, phase: 'failed', reason: 'its container is gone although the worker had not finished', backendStatus: 'no container'}
    return {handle, phase: 'pending', backendStatus: 'no container yet'}
  }

  /** The client of this run (after prepare), or one for the engine a handle names (status, logs, cancel from another process). */
  private clientFor(handle: JobHandle): DockerClient {
    if (this.client) return this.client
    this.client = DockerClient.connect({host: typeof handle.host === 'string' ? handle.host : undefined, sshKey: typeof handle.sshKey === 'string' ? handle.sshKey : undefined, environment: this.context.environment})
    return this.client
  }

  private ready(): {client: DockerClient; settings: DockerSettings} {
    if (!this.client || !this.settings) throw new Error(`the ${this.name} executor was used before prepare()`)
    return {client: this.client, settings: this.settings}
  }
}

/** A partition's log: appended live to a local file, or written to storage when the container ends. */
class LogSink {
  private readonly stream?: WriteStream
  private readonly lines: string[] = []
  private readonly key: string

  constructor(
    private readonly context: ExecutorContext,
    partition: PartitionJob,
  ) {
    this.key = logKey(partition.runId, partition.quarter, partition.partition)
    const file = context.storage.localPath(this.key)
    if (file) {
      mkdirSync(path.dirname(file), {recursive: true})
      this.stream = createWriteStream(file, {flags: 'a'})
    }
  }

  write(line: string): void {
    if (this.stream) this.stream.write(`${line}\n`)
    else this.lines.push(line)
  }

  async close(): Promise<void> {
    if (this.stream) {
      await new Promise<void>((resolve) => this.stream!.end(resolve))
      return
    }
    const earlier = Buffer.from((await this.context.storage.read(this.key)) ?? new Uint8Array()).toString('utf8')
    await this.context.storage.write(this.key, earlier + this.lines.map((line) => `${line}\n`).join(''))
  }
}
