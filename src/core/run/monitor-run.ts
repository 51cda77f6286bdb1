import type {Executor, JobHandle, JobState} from '../executor.js'
import {isFinished} from '../executor.js'
import type {Clock} from '../../base/clock.js'
import {poll} from '../poll.js'
import {type PartitionProgress, readRunProgress} from '../progress.js'
import type {Storage} from '../../storage/storage.js'
import {classifyEdgeError} from '../../base/edge-errors.js'
import {errorMessage, UserError} from '../../base/errors.js'
import {ExitCode} from '../../base/exit-codes.js'
import {withRetry} from '../retry.js'

/** One partition as the monitor sees it: the executor's state and the worker's own progress. */
export interface PartitionView {
  state: JobState
  progress?: PartitionProgress
}

/** A run as the monitor sees it at one moment. */
export interface RunView {
  runId: string
  partitions: PartitionView[]
  finished: boolean
}

export interface MonitorOptions {
  storage: Storage
  executor: Executor
  runId: string
  handles: JobHandle[]
  onUpdate: (view: RunView) => void
  /** Stops watching (not the jobs). */
  signal?: AbortSignal
  interval?: number
  clock?: Clock
  /** Milliseconds one look may spend retrying a transient fault of storage or the executor (default 60 s). */
  retryBudgetMs?: number
  /** The storage root the user names in commands, for the message when the monitor gives up. */
  root?: string
  /** Told about each retried look, so that a blip is visible but not fatal. */
  onRetry?: (message: string) => void
}

/**
 * Watches a run's jobs until all have finished, reporting executor states and worker progress on each round. A
 * transient fault of storage or the executor is retried with backoff like the workers do; when it outlasts the
 * budget the monitor stops with exit 75 and says that the workers still run and how to follow them.
 */
export async function monitorRun(options: MonitorOptions): Promise<RunView> {
  let view: RunView = {runId: options.runId, partitions: [], finished: false}
  await poll(
    async () => {
      view = await lookWithRetry(() => observeRun(options), options, 'ftm run')
      options.onUpdate(view)
      return view.finished
    },
    {interval: options.interval ?? 500, minimumInterval: 100, signal: options.signal, clock: options.clock},
  )
  return view
}

/**
 * One look at a run, a transient fault of storage or the executor retried within the budget; past it, a user error
 * (exit 75) saying that the workers still run and how to follow them. `who` names the watcher in the message.
 */
export async function lookWithRetry<T>(look: () => Promise<T>, options: Pick<MonitorOptions, 'runId' | 'retryBudgetMs' | 'root' | 'onRetry' | 'clock' | 'signal'>, who: string): Promise<T> {
  const budgetMs = options.retryBudgetMs ?? 60_000
  let tries = 1
  try {
    return await withRetry(look, {
      attempts: Number.MAX_SAFE_INTEGER,
      baseDelayMs: 500,
      maxDelayMs: 10_000,
      budgetMs,
      clock: options.clock,
      signal: options.signal,
      onRetry: (error, attempt, delay) => {
        tries = attempt + 1
        options.onRetry?.(`could not look at run ${options.runId} (${errorMessage(error)}); try ${attempt + 1} in ${Math.round(delay / 100) / 10} s`)
      },
    })
  } catch (error) {
    const found = classifyEdgeError(error)
    if (found.kind === 'unknown') throw error
    const root = options.root ? ` --root ${options.root}` : ''
    throw new UserError(
      `${who} stopped watching run ${options.runId}: ${errorMessage(error)}${found.code ? ` (${found.code})` : ''}${found.kind === 'transient' ? ` after ${tries} tries over ${Math.round(budgetMs / 1000)} s` : ''}. Its workers are still running.`,
      `Follow them with \`ftm status ${options.runId} --watch${root}\`, or take over watching with \`ftm run --resume ${options.runId}${root}\` once storage answers again.`,
      {cause: error, exitCode: found.kind === 'transient' ? ExitCode.transient : ExitCode.usage},
    )
  }
}

/** One look at a run: executor states joined with the progress files in storage. */
export async function observeRun(options: Pick<MonitorOptions, 'storage' | 'executor' | 'runId' | 'handles'>): Promise<RunView> {
  const [states, progress] = await Promise.all([options.executor.status(options.handles), readRunProgress(options.storage, options.runId)])
  const progressOf = new Map(progress.map((entry) => [`${entry.quarter}/${entry.partition}`, entry]))
  const partitions = states.map((state) => ({state, progress: progressOf.get(`${state.handle.quarter}/${state.handle.partition}`)}))
  return {runId: options.runId, partitions, finished: states.every((state) => isFinished(state.phase))}
}
