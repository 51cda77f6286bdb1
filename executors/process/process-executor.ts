import {type ChildProcess, spawn} from 'node:child_process'
import {closeSync, mkdirSync, openSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pLimit from 'p-limit'
import {describeWorkerExit, ExitCode} from '../../src/base/exit-codes.js'
import type {Executor, ExecutorCapabilities, ExecutorContext, JobHandle, JobState, PartitionJob} from '../../src/core/executor.js'
import {UserError} from '../../src/base/errors.js'
import {logKey, runRecordKey} from '../../src/core/layout.js'
import {readJson} from '../../src/storage/storage.js'
import {poll} from '../../src/core/poll.js'
import {isProcessAlive, signalProcess} from '../../src/core/run/process-liveness.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {withWorkerEnvironment} from '../../src/core/worker-contract.js'
import {processExecutorPlugin} from './index.js'
import {followLogFile} from './log-file.js'
import {readRecordedWorker, stateFromRecord} from './recorded-worker.js'
import {checkParallel} from './worker-capacity.js'
import {workerCommand} from './worker-command.js'

interface ProcessJob {
  state: JobState
  logFile: string
  child?: ChildProcess
  /** The pid of a worker an earlier `ftm run` started that this one waits for instead of starting a second. */
  adoptedPid?: number
  cancelRequested: boolean
}

/**
 * Runs each partition as an `ftm worker` child process on this machine: the default, nothing to install.
 * A process that did not start the workers (`ftm status`, `ftm cancel` from another shell, a resumed run after the
 * CLI was killed) works from the progress files in storage and the worker pids they record.
 */
export class ProcessExecutor implements Executor {
  readonly name = 'process'
  readonly capabilities: ExecutorCapabilities = processExecutorPlugin.capabilities
  private readonly jobs = new Map<string, ProcessJob>()

  constructor(private readonly context: ExecutorContext) {}

  /** Refuses a --parallel this machine cannot hold (cores and memory), before anything starts. */
  async prepare(run: RunRecord): Promise<void> {
    checkParallel(run.executor.parallel)
  }

  async submit(run: RunRecord, partitions: PartitionJob[]): Promise<JobHandle[]> {
    const limit = pLimit(run.executor.parallel)
    return partitions.map((partition) => {
      const handle: JobHandle = {executor: this.name, runId: run.id, quarter: partition.quarter, partition: partition.partition, id: `${partition.quarter}/${partition.partition}`}
      const job: ProcessJob = {state: {handle, phase: 'pending'}, logFile: this.logFile(handle), cancelRequested: false}
      this.jobs.set(handle.id, job)
      void limit(() => this.start(job, partition))
      return handle
    })
  }

  async status(handles: JobHandle[]): Promise<JobState[]> {
    return Promise.all(
      handles.map(async (handle) => this.jobs.get(handle.id)?.state ?? stateFromRecord(handle, await readRecordedWorker(this.context.storage, handle))),
    )
  }

  async *logs(handle: JobHandle, options: {follow?: boolean} = {}): AsyncIterable<string> {
    // Follow while the worker runs, or may still start (pending in a run that is still running).
    const running = async (): Promise<boolean> => {
      const [state] = await this.status([handle])
      if (state!.phase === 'running') return true
      if (state!.phase !== 'pending') return false
      return (await readJson<RunRecord>(this.context.storage, runRecordKey(handle.runId)))?.status === 'running'
    }
    yield* followLogFile(this.jobs.get(handle.id)?.logFile ?? this.logFile(handle), options.follow ? running : undefined)
  }

  async cancel(handles: JobHandle[]): Promise<void> {
    const elsewhere: string[] = []
    for (const handle of handles) {
      const job = this.jobs.get(handle.id)
      if (!job) {
        const worker = await readRecordedWorker(this.context.storage, handle)
        if (worker.signallable) signalProcess(worker.progress!.pid, 'SIGTERM')
        else if (worker.running) elsewhere.push(`${handle.quarter} partition ${handle.partition} (pid ${worker.progress!.pid} on ${worker.progress!.host})`)
        continue
      }
      if (job.cancelRequested) continue
      job.cancelRequested = true
      if (job.state.phase === 'pending') job.state = {handle, phase: 'cancelled', reason: 'cancelled before it started'}
      else if (job.adoptedPid !== undefined) signalProcess(job.adoptedPid, 'SIGTERM')
      else if (job.state.phase === 'running') job.child?.kill('SIGTERM')
    }
    if (elsewhere.length > 0) {
      throw new UserError(`Workers on another machine cannot be stopped from here: ${elsewhere.join(', ')}.`, 'Run `ftm cancel` on that machine.')
    }
  }

  private async start(job: ProcessJob, partition: PartitionJob): Promise<void> {
    if (job.cancelRequested) return
    const handle = job.state.handle
    // A worker of this partition still at work (its CLI was killed, the run resumed): wait for it, never run two.
    const recorded = await readRecordedWorker(this.context.storage, handle)
    if (recorded.signallable) {
      job.adoptedPid = recorded.progress!.pid
      job.state = {handle, phase: 'running', backendStatus: `pid ${job.adoptedPid} (started earlier)`}
      await poll(async () => !isProcessAlive(job.adoptedPid!), {interval: 200})
      job.adoptedPid = undefined
    }
    // No shortcut on a progress file that says done: the core's ledger submits only partitions whose committed firms
    // do not cover their manifest (e.g. after `--retry-failed` uncommitted some), and those need a worker.
    if (job.cancelRequested) {
      job.state = {handle, phase: 'cancelled', reason: 'cancelled'}
      return
    }
    const command = workerCommand()
    // The worker writes to the log file itself (not through a pipe to this process), so it outlives a killed CLI.
    const log = openSync(job.logFile, 'a')
    const child = spawn(command.file, command.arguments, {
      env: withWorkerEnvironment(this.context.environment ?? {}, {task: 'partition', runRecordLocation: partition.runRecordLocation, quarter: partition.quarter, partition: partition.partition}),
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    job.child = child
    job.state = {handle, phase: 'running', backendStatus: `pid ${child.pid ?? '?'}`}
    const result = await new Promise<{exitCode?: number; signal?: NodeJS.Signals}>((resolve) => {
      child.once('error', () => resolve({exitCode: ExitCode.failed}))
      child.once('exit', (code, signal) => resolve({exitCode: code ?? undefined, signal: signal ?? undefined}))
    })
    const exitCode = result.exitCode ?? (result.signal === 'SIGKILL' ? 137 : result.signal === 'SIGTERM' ? ExitCode.terminated : undefined)
    const phase = exitCode === ExitCode.ok ? 'succeeded' : job.cancelRequested && exitCode === ExitCode.terminated ? 'cancelled' : 'failed'
    job.state = {handle, phase, exitCode, reason: phase === 'succeeded' ? undefined : describeWorkerExit(exitCode), backendStatus: result.signal ?? `exit ${exitCode}`}
  }

  private logFile(handle: JobHandle): string {
    const key = logKey(handle.runId, handle.quarter, handle.partition)
    const file = this.context.storage.localPath(key) ?? path.join(os.tmpdir(), 'ftm-logs', ...key.split('/'))
    mkdirSync(path.dirname(file), {recursive: true})
    return file
  }
}
