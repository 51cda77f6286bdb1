import {mkdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {execa, type ResultPromise} from 'execa'
import pLimit from 'p-limit'
import {describeWorkerExit, ExitCode} from '../../src/core/exit-codes.js'
import type {Executor, ExecutorCapabilities, ExecutorContext, JobHandle, JobState, PartitionJob} from '../../src/core/executor.js'
import {logKey} from '../../src/core/layout.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {workerCommand} from './worker-command.js'

interface ProcessJob {
  state: JobState
  logFile: string
  child?: ResultPromise
  cancelRequested: boolean
}

/** Runs each partition as an `ftm worker` child process on this machine: the default, nothing to install. */
export class ProcessExecutor implements Executor {
  readonly name = 'process'
  readonly capabilities: ExecutorCapabilities = {gpus: false, remote: false, logs: true, detached: false}
  private readonly jobs = new Map<string, ProcessJob>()

  constructor(private readonly context: ExecutorContext) {}

  async prepare(): Promise<void> {}

  async submit(run: RunRecord, partitions: PartitionJob[]): Promise<JobHandle[]> {
    const limit = pLimit(run.executor.parallel)
    return partitions.map((partition) => {
      const handle: JobHandle = {executor: this.name, runId: run.id, quarter: partition.quarter, partition: partition.partition, id: `${partition.quarter}/${partition.partition}`}
      const job: ProcessJob = {state: {handle, phase: 'pending'}, logFile: this.logFile(partition), cancelRequested: false}
      this.jobs.set(handle.id, job)
      void limit(() => this.start(job, partition))
      return handle
    })
  }

  async status(handles: JobHandle[]): Promise<JobState[]> {
    return handles.map((handle) => this.jobs.get(handle.id)?.state ?? {handle, phase: 'failed', reason: 'unknown to this process (started by another ftm process)'})
  }

  async *logs(handle: JobHandle): AsyncIterable<string> {
    const job = this.jobs.get(handle.id)
    const file = job?.logFile ?? this.context.storage.localPath(logKey(handle.runId, handle.quarter, handle.partition))
    if (!file) return
    const text = await readFile(file, 'utf8').catch(() => '')
    yield* text.split('\n').filter(Boolean)
  }

  async cancel(handles: JobHandle[]): Promise<void> {
    for (const handle of handles) {
      const job = this.jobs.get(handle.id)
      if (!job || job.cancelRequested) continue
      job.cancelRequested = true
      if (job.state.phase === 'pending') job.state = {handle, phase: 'cancelled', reason: 'cancelled before it started'}
      else if (job.state.phase === 'running') job.child?.kill('SIGTERM')
    }
  }

  private async start(job: ProcessJob, partition: PartitionJob): Promise<void> {
    if (job.cancelRequested) return
    const command = workerCommand()
    const child = execa(command.file, command.arguments, {
      env: {...this.context.environment, FTM_RUN: partition.runRecord, FTM_QUARTER: partition.quarter, FTM_PARTITION: String(partition.partition)},
      stdin: 'ignore',
      stdout: {file: job.logFile, append: true},
      stderr: {file: job.logFile, append: true},
      reject: false,
    })
    job.child = child
    job.state = {handle: job.state.handle, phase: 'running', backendStatus: `pid ${child.pid ?? '?'}`}
    const result = await child
    const exitCode = result.exitCode ?? (result.signal === 'SIGKILL' ? 137 : result.signal === 'SIGTERM' ? ExitCode.terminated : undefined)
    const phase = exitCode === ExitCode.ok ? 'succeeded' : job.cancelRequested && exitCode === ExitCode.terminated ? 'cancelled' : 'failed'
    job.state = {handle: job.state.handle, phase, exitCode, reason: phase === 'succeeded' ? undefined : describeWorkerExit(exitCode), backendStatus: result.signal ?? `exit ${exitCode}`}
  }

  private logFile(partition: PartitionJob): string {
    const key = logKey(partition.runId, partition.quarter, partition.partition)
    const file = this.context.storage.localPath(key) ?? path.join(os.tmpdir(), 'ftm-logs', ...key.split('/'))
    mkdirSync(path.dirname(file), {recursive: true})
    return file
  }
}
