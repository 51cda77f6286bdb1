import type {Config} from '../config/schema.js'
import {writeManifest} from '../manifest.js'
import {createExecutor} from '../executor-registry.js'
import type {Executor, JobHandle} from '../executor.js'
import {ExitCode} from '../../base/exit-codes.js'
import {rm} from 'node:fs/promises'
import {explainEdgeError} from '../../base/edge-errors.js'
import {errorMessage} from '../../base/errors.js'
import {readRunRecord, type RunRecord, writeRunRecord} from '../run-record.js'
import {openStorage} from '../../storage/open-storage.js'
import type {Storage} from '../../storage/storage.js'
import {spawnDetachedMonitor} from './detach-run.js'
import {claimMonitorLease, type MonitorLease, refuseLiveMonitor} from './monitor-lease.js'
import {monitorRun, type RunView} from './monitor-run.js'
import {partitionReason} from './partition-reason.js'
import {judgeByCommittedFirms, readPartitionLedger} from './partition-ledger.js'
import {openPlanningSource, partitionJobs, planRecord} from './plan-record.js'
import {checkResumeSource, writePartitionInputs} from './partition-inputs.js'
import {describeReleased, type ReleasedFailures, releaseFailedFirms} from './retry-failed.js'

export interface RunCallbacks {
  /** The run record exists: its id can be shown. */
  onStart?: (record: RunRecord) => void
  onUpdate?: (view: RunView) => void
  /** Input the source skipped while planning (malformed rows, duplicate components). */
  onWarning?: (message: string) => void
  /** Something the user should know that is not a problem (e.g. how many failed firms are retried). */
  onNote?: (message: string) => void
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
  /** Redo the firms committed as failed (`--retry-failed`): all of them, or those of some error kinds. */
  retryFailed?: {kinds?: string[]}
  signal?: AbortSignal
  environment?: NodeJS.ProcessEnv
}

export interface RunOutcome {
  record: RunRecord
  view: RunView
  exitCode: number
  /** Set when the run was detached: the monitor process that carries it on, if the executor needs one. */
  detached?: {monitor?: MonitorLease}
  /** What `--retry-failed` gave back to the workers. */
  retried?: ReleasedFailures
}

/** Plans a run, writes its manifests and record, runs its partitions on the chosen executor and waits for them. */
export async function startRun(options: StartRunOptions): Promise<RunOutcome> {
  const executor = await createExecutor(options.config.executor, {storage: openStorage(options.config.root), environment: options.environment})
  // The preflight (a disabled queue, a missing image) runs before the record exists: a refused run leaves none behind.
  const {storage, record} = await createRun({...options, executorName: executor.name, beforeWrite: (planned) => executor.prepare(planned)})
  if (options.detach) return detach(storage, executor, record, {...options, prepared: true})
  return execute(storage, executor, record, {...options, prepared: true})
}

/** Starts a recorded run without watching it: the executor's jobs go on alone, or a detached monitor feeds them. */
async function detach(storage: Storage, executor: Executor, record: RunRecord, options: StartRunOptions & {prepared?: boolean}): Promise<RunOutcome> {
  options.onStart?.(record)
  const view: RunView = {runId: record.id, partitions: [], finished: false}
  if (executor.capabilities.detached) {
    if (!options.prepared) await executor.prepare(record)
    record.jobs = await executor.submit(record, partitionJobs(storage, record), {onSubmitted: (handles) => recordJobs(storage, record, [], handles)})
    await writeRunRecord(storage, record)
    return {record, view, exitCode: ExitCode.ok, detached: {}}
  }
  const monitor = await spawnDetachedMonitor(storage, record, options.environment ?? process.env)
  return {record, view, exitCode: ExitCode.ok, detached: {monitor}}
}

/** Plans a run and writes its manifests and run record (status running), without starting anything. */
export async function createRun(options: {
  config: Config
  executorName: string
  now?: () => Date
  onWarning?: (message: string) => void
  storage?: Storage
  /** Runs on the planned record before anything is written; throwing leaves storage as it was. */
  beforeWrite?: (record: RunRecord) => Promise<void>
}): Promise<{storage: Storage; record: RunRecord}> {
  const storage = options.storage ?? openStorage(options.config.root)
  // The source is read once: the plan and then each partition's input come from the same parsed source.
  const source = openPlanningSource(options.config, options.onWarning)
  try {
    const {record, manifests} = await planRecord({...options, storage, source, status: 'running', now: options.now?.()})
    await options.beforeWrite?.(record)
    try {
      // Inputs, then manifests, then the record: only a run with a record is ever resumed, so none trusts a half-written input.
      if (record.partitionInputs) await writePartitionInputs(storage, source, manifests)
      for (const manifest of manifests) await writeManifest(storage, manifest)
      await writeRunRecord(storage, record)
    } catch (error) {
      // No half-made run: a full disk or a read-only root must not leave inputs or manifests without a run record.
      await removeRun(storage, record.id)
      throw explainEdgeError(error, {action: 'write the new run to', location: storage.uri}) ?? error
    }
    return {storage, record}
  } finally {
    await source.close()
  }
}

/** Removes what a run that could not be created wrote (best effort: the storage may be what failed). */
async function removeRun(storage: Storage, runId: string): Promise<void> {
  const keys = await storage.list(`runs/${runId}/`).catch(() => [] as string[])
  for (const key of keys) await storage.remove(key).catch(() => undefined)
  const folder = storage.localPath(`runs/${runId}`)
  if (folder) await rm(folder, {recursive: true, force: true}).catch(() => undefined)
}

/** Runs a recorded run again: every partition restarts and skips the firms it already committed. */
export async function resumeRun(options: ResumeRunOptions): Promise<RunOutcome> {
  const storage = openStorage(options.root)
  const record = await readRunRecord(storage, options.runId)
  // A quick refusal before anything is written; the claim in execute() is what makes two resumes exclusive.
  await refuseLiveMonitor(storage, record.id)
  await checkResumeSource(record, options.onWarning, options.environment)
  if (options.parallel) record.executor.parallel = options.parallel
  const executor = await createExecutor(record.executor.name, {storage, environment: options.environment})
  record.status = 'running'
  delete record.finishedAt
  delete record.reason
  if (options.detach) {
    await writeRunRecord(storage, record)
    options.onStart?.(record)
    const monitor = await spawnDetachedMonitor(storage, record, options.environment ?? process.env, {retryFailed: options.retryFailed})
    return {record, view: {runId: record.id, partitions: [], finished: false}, exitCode: ExitCode.ok, detached: {monitor}}
  }
  return execute(storage, executor, record, options)
}

/**
 * Writes the jobs submitted so far into the run record, so cancel and status see them before submission ends; the
 * earlier jobs of partitions not resubmitted yet stay listed.
 */
async function recordJobs(storage: Storage, record: RunRecord, earlier: readonly JobHandle[], handles: JobHandle[]): Promise<void> {
  const resubmitted = new Set(handles.map((handle) => `${handle.quarter}/${handle.partition}`))
  record.jobs = [...earlier.filter((handle) => !resubmitted.has(`${handle.quarter}/${handle.partition}`)), ...handles]
  await writeRunRecord(storage, record)
}

type ExecuteOptions = RunCallbacks & {signal?: AbortSignal; prepared?: boolean; retryFailed?: ResumeRunOptions['retryFailed']}

async function execute(storage: Storage, executor: Executor, record: RunRecord, options: ExecuteOptions): Promise<RunOutcome> {
  // Atomic: of two `ftm run --resume` at the same moment exactly one gets past this line.
  await claimMonitorLease(storage, record.id)
  options.onStart?.(record)
  // The ledger: partitions done (by their committed firms) or still running are never submitted again.
  // A resume also asks the executor for jobs the record misses (Batch: by name), e.g. after a crash mid-submission.
  let ledger = await readPartitionLedger(storage, executor, record, partitionJobs(storage, record), {findJobs: !options.prepared})
  let retried: ReleasedFailures | undefined
  if (options.retryFailed) {
    retried = await retryFailedFirms(storage, record, ledger, options)
    if (retried.firms > 0) ledger = await readPartitionLedger(storage, executor, record, partitionJobs(storage, record), {findJobs: !options.prepared})
  }
  // Where jobs go on without the CLI (Batch) a running job is only watched. Elsewhere its worker was left by a killed
  // monitor: the executor is handed the partition and waits for that worker inside its --parallel limit (the process
  // executor) or refuses to start beside it (Docker), never starting a second one.
  const detached = executor.capabilities.detached
  const toSubmit = detached ? ledger.toStart : [...ledger.running, ...ledger.toStart]
  if (toSubmit.length > 0 && !options.prepared) {
    try {
      await executor.prepare(record)
    } catch (error) {
      // Nothing started: the record says why, and `ftm run --resume` (e.g. with a smaller --parallel) carries it on.
      record.status = 'failed'
      record.reason = `not started: ${errorMessage(error)}`
      record.finishedAt = new Date().toISOString()
      await writeRunRecord(storage, record).catch(() => undefined)
      throw error
    }
  }
  const earlier = record.jobs
  const submitted = toSubmit.length > 0 ? await executor.submit(record, toSubmit, {onSubmitted: (handles) => recordJobs(storage, record, earlier, handles)}) : []
  const handles: JobHandle[] = [...ledger.kept, ...(detached ? ledger.runningHandles : []), ...submitted].sort(byPartition)
  record.jobs = handles
  await writeRunRecord(storage, record)

  const cancel = (): void => void executor.cancel(handles)
  options.signal?.addEventListener('abort', cancel, {once: true})
  // A stop that came while the jobs were being submitted fires no event any more: act on it now.
  if (options.signal?.aborted) cancel()
  const watched = await monitorRun({
    storage,
    executor,
    runId: record.id,
    handles,
    root: record.root,
    retryBudgetMs: (record.config.worker.commitRetrySeconds ?? 60) * 1000,
    onRetry: (message) => options.onWarning?.(message),
    onUpdate: (update) => options.onUpdate?.(update),
  }).finally(() =>
    options.signal?.removeEventListener('abort', cancel),
  )
  // Finished partitions are judged by their committed firms against the manifest, whatever the job's exit said.
  const states = await judgeByCommittedFirms(storage, record.id, watched.partitions.map((partition) => partition.state))
  const view: RunView = {...watched, partitions: watched.partitions.map((partition, index) => ({...partition, state: states[index]!}))}

  const failed = view.partitions.filter((partition) => partition.state.phase === 'failed')
  const cancelled = options.signal?.aborted || view.partitions.some((partition) => partition.state.phase === 'cancelled')
  record.status = cancelled ? 'cancelled' : failed.length > 0 ? 'failed' : 'succeeded'
  if (failed.length > 0) {
    record.reason = failed.map((partition) => `${partition.state.handle.quarter} partition ${partition.state.handle.partition}: ${failureReason(partition)}`).join('; ')
  } else if (cancelled) {
    record.reason = 'partitions committed what they had finished'
  }
  const unnamed = record.status === 'succeeded' ? allLabelsFellBack(record, view) : undefined
  if (unnamed) record.reason = unnamed
  record.finishedAt = new Date().toISOString()
  await writeRunRecord(storage, record)
  const labelsFailed = unnamed !== undefined && record.config.llm.whenAllFallback === 'fail'
  const exitCode = record.status === 'succeeded' && !labelsFailed ? ExitCode.ok : record.status === 'cancelled' ? ExitCode.interrupted : ExitCode.failed
  return {record, view, exitCode, retried}
}

/**
 * Gives the failed firms of every partition without a live job back to the workers (under this monitor's claim, so
 * no other monitor submits meanwhile); a partition still running keeps its failures, and the note says so.
 */
async function retryFailedFirms(storage: Storage, record: RunRecord, ledger: Awaited<ReturnType<typeof readPartitionLedger>>, options: ExecuteOptions): Promise<ReleasedFailures> {
  const idle = [...ledger.done, ...ledger.toStart]
  const kinds = options.retryFailed?.kinds?.length ? options.retryFailed.kinds : undefined
  const released = await releaseFailedFirms(storage, record.id, idle, kinds)
  const scope = kinds ? ` of kind ${kinds.join(', ')}` : ''
  options.onNote?.(released.firms > 0 ? `Retrying ${describeReleased(released)} in ${released.partitions.length} partition(s).` : `No failed firms${scope} to retry in run ${record.id}.`)
  if (ledger.running.length > 0) {
    const running = ledger.running.map((job) => `${job.quarter} partition ${job.partition}`).join(', ')
    options.onWarning?.(`${running} still running: its failed firms are not retried; run \`ftm run --resume ${record.id} --retry-failed\` again once it has finished.`)
  }
  return released
}

function byPartition(a: JobHandle, b: JobHandle): number {
  return a.quarter === b.quarter ? a.partition - b.partition : a.quarter < b.quarter ? -1 : 1
}

/** The worker's own reason, unless it reported success: then the executor's (a coverage check's) reason. */
function failureReason(partition: RunView['partitions'][number]): string | undefined {
  const progress = partition.progress
  // The worker's reason when it failed; else the ledger's judgement (committed firms short of the manifest); the
  // backend's own words (Batch's timeout, a Spot reclaim) beside either.
  const failedWorker = progress?.reason && progress.exitCode !== ExitCode.ok ? progress : undefined
  return partitionReason(partition.state, failedWorker) ?? partition.state.reason ?? progress?.reason
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
