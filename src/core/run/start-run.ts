import {rmSync} from 'node:fs'
import type {Config} from '../config/schema.js'
import {writeManifest} from '../manifest.js'
import {createExecutor} from '../executor-registry.js'
import type {Executor, JobHandle} from '../executor.js'
import {ExitCode} from '../../base/exit-codes.js'
import {UserError} from '../../base/errors.js'
import {readRunRecord, type RunRecord, writeRunRecord} from '../run-record.js'
import {openStorage} from '../../storage/open-storage.js'
import type {Storage} from '../../storage/storage.js'
import {spawnDetachedMonitor} from './detach-run.js'
import {claimMonitorLease, isMonitorAlive, type MonitorLease, readMonitorLease} from './monitor-lease.js'
import {monitorRun, type RunView} from './monitor-run.js'
import {partitionJobs, planRecord} from './plan-record.js'

export interface RunCallbacks {
  /** The run record exists: its id can be shown. */
  onStart?: (record: RunRecord) => void
  onUpdate?: (view: RunView) => void
  /** Input the source skipped while planning (malformed rows, duplicate components). */
  onWarning?: (message: string) => void
}

export interface StartRunOptions extends RunCallbacks {
  config: Config
  /** Aborting cancels the run: workers commit what they finished and stop. */
  signal?: AbortSignal
  environment?: NodeJS.ProcessEnv
  now?: () => Date
  /** Return once the run is started: a detached monitor process (or a detached executor) carries it on. */
  detach?: boolean
}

export interface ResumeRunOptions extends RunCallbacks {
  root: string
  runId: string
  /** Overrides the recorded parallelism. */
  parallel?: number
  /** Continue in a detached monitor process and return at once. */
  detach?: boolean
  signal?: AbortSignal
  environment?: NodeJS.ProcessEnv
}

export interface RunOutcome {
  record: RunRecord
  view: RunView
  exitCode: number
  /** Set when the run was detached: the monitor process that carries it on, if the executor needs one. */
  detached?: {monitor?: MonitorLease}
}

/** Plans a run, writes its manifests and record, runs its partitions on the chosen executor and waits for them. */
export async function startRun(options: StartRunOptions): Promise<RunOutcome> {
  const executor = await createExecutor(options.config.executor, {storage: openStorage(options.config.root), environment: options.environment})
  const {storage, record} = await createRun({...options, executorName: executor.name})
  // A run the executor refuses (e.g. Batch with a local root) never started: it leaves no record to show as stalled.
  await executor.prepare(record).catch(async (error: unknown) => {
    await forgetRun(storage, record.id)
    throw error
  })
  if (options.detach) return detach(storage, executor, record, {...options, prepared: true})
  return execute(storage, executor, record, {...options, prepared: true})
}

/** Removes everything a run wrote under runs/<id>/ (record, manifests, lease): for runs that never started. */
export async function forgetRun(storage: Storage, runId: string): Promise<void> {
  for (const key of await storage.list(`runs/${runId}/`)) await storage.remove(key)
  const folder = storage.localPath(`runs/${runId}`)
  if (folder) rmSync(folder, {recursive: true, force: true}) // a local root also loses the run's empty folders
}

/** Starts a recorded run without watching it: the executor's jobs go on alone, or a detached monitor feeds them. */
async function detach(storage: Storage, executor: Executor, record: RunRecord, options: StartRunOptions & {prepared?: boolean}): Promise<RunOutcome> {
  options.onStart?.(record)
  const view: RunView = {runId: record.id, partitions: [], finished: false}
  if (executor.capabilities.detached) {
    if (!options.prepared) await executor.prepare(record)
    record.jobs = await executor.submit(record, partitionJobs(storage, record))
    await writeRunRecord(storage, record)
    return {record, view, exitCode: ExitCode.ok, detached: {}}
  }
  const monitor = await spawnDetachedMonitor(storage, record, options.environment ?? process.env)
  return {record, view, exitCode: ExitCode.ok, detached: {monitor}}
}

/** Plans a run and writes its manifests and run record (status running), without starting anything. */
export async function createRun(options: {config: Config; executorName: string; now?: () => Date; onWarning?: (message: string) => void}): Promise<{storage: Storage; record: RunRecord}> {
  const storage = openStorage(options.config.root)
  const {record, manifests} = await planRecord({...options, storage, status: 'running', now: options.now?.()})
  for (const manifest of manifests) await writeManifest(storage, manifest)
  await writeRunRecord(storage, record)
  return {storage, record}
}

/** Runs a recorded run again: every partition restarts and skips the firms it already committed. */
export async function resumeRun(options: ResumeRunOptions): Promise<RunOutcome> {
  const storage = openStorage(options.root)
  const record = await readRunRecord(storage, options.runId)
  const lease = await readMonitorLease(storage, record.id)
  if (record.status === 'running' && lease && lease.pid !== process.pid && isMonitorAlive(lease)) {
    throw new UserError(
      `Run ${record.id} is still being run by process ${lease.pid} on this machine.`,
      `Watch it with \`ftm status ${record.id}\`, or stop it with \`ftm cancel ${record.id}\` before resuming.`,
    )
  }
  if (options.parallel) record.executor.parallel = options.parallel
  const executor = await createExecutor(record.executor.name, {storage, environment: options.environment})
  record.status = 'running'
  delete record.finishedAt
  delete record.reason
  if (options.detach) {
    await writeRunRecord(storage, record)
    options.onStart?.(record)
    const monitor = await spawnDetachedMonitor(storage, record, options.environment ?? process.env)
    return {record, view: {runId: record.id, partitions: [], finished: false}, exitCode: ExitCode.ok, detached: {monitor}}
  }
  return execute(storage, executor, record, options)
}

async function execute(storage: Storage, executor: Executor, record: RunRecord, options: RunCallbacks & {signal?: AbortSignal; prepared?: boolean}): Promise<RunOutcome> {
  options.onStart?.(record)
  await claimMonitorLease(storage, record.id)
  if (!options.prepared) await executor.prepare(record)
  const jobs = partitionJobs(storage, record)
  const handles: JobHandle[] = await executor.submit(record, jobs)
  record.jobs = handles
  await writeRunRecord(storage, record)

  const cancel = (): void => void executor.cancel(handles)
  options.signal?.addEventListener('abort', cancel, {once: true})
  const view = await monitorRun({storage, executor, runId: record.id, handles, onUpdate: (update) => options.onUpdate?.(update)}).finally(() =>
    options.signal?.removeEventListener('abort', cancel),
  )

  const failed = view.partitions.filter((partition) => partition.state.phase === 'failed')
  const cancelled = options.signal?.aborted || view.partitions.some((partition) => partition.state.phase === 'cancelled')
  record.status = cancelled ? 'cancelled' : failed.length > 0 ? 'failed' : 'succeeded'
  if (failed.length > 0) {
    record.reason = failed.map((partition) => `${partition.state.handle.quarter} partition ${partition.state.handle.partition}: ${partition.progress?.reason ?? partition.state.reason}`).join('; ')
  } else if (cancelled) {
    record.reason = 'partitions committed what they had finished'
  }
  const unnamed = record.status === 'succeeded' ? allLabelsFellBack(record, view) : undefined
  if (unnamed) record.reason = unnamed
  record.finishedAt = new Date().toISOString()
  await writeRunRecord(storage, record)
  const labelsFailed = unnamed !== undefined && record.config.llm.whenAllFallback === 'fail'
  const exitCode = record.status === 'succeeded' && !labelsFailed ? ExitCode.ok : record.status === 'cancelled' ? ExitCode.interrupted : ExitCode.failed
  return {record, view, exitCode}
}

/**
 * With an LLM configured, the reason to tell when it named none of the run's topics (every label fell back to
 * keywords), else undefined; counted from the partitions' progress, so it costs no read of the results.
 */
export function allLabelsFellBack(record: RunRecord, view: RunView): string | undefined {
  if (record.config.llm.baseUrl === '') return undefined
  const labeled = view.partitions.map((partition) => partition.progress?.topicsLabeled ?? {llm: 0, keywords: 0})
  const llm = labeled.reduce((sum, counts) => sum + counts.llm, 0)
  const keywords = labeled.reduce((sum, counts) => sum + counts.keywords, 0)
  if (llm > 0 || keywords === 0) return undefined
  return (
    `the LLM at ${record.config.llm.baseUrl} named none of the ${keywords} topics: every label fell back to keywords ` +
    `(\`ftm logs ${record.id}\` says why; llm.whenAllFallback=${record.config.llm.whenAllFallback})`
  )
}
