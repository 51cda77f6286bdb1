import type {Executor, JobHandle, JobState} from '../executor.js'
import {isFinished} from '../executor.js'
import type {Clock} from '../../base/clock.js'
import {poll} from '../poll.js'
import {type PartitionProgress, readRunProgress} from '../progress.js'
import type {Storage} from '../../storage/storage.js'

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
}

/** Watches a run's jobs until all have finished, reporting executor states and worker progress on each round. */
export async function monitorRun(options: MonitorOptions): Promise<RunView> {
  let view: RunView = {runId: options.runId, partitions: [], finished: false}
  await poll(
    async () => {
      view = await observeRun(options)
      options.onUpdate(view)
      return view.finished
    },
    {interval: options.interval ?? 500, minimumInterval: 100, signal: options.signal, clock: options.clock},
  )
  return view
}

/** One look at a run: executor states joined with the progress files in storage. */
export async function observeRun(options: Pick<MonitorOptions, 'storage' | 'executor' | 'runId' | 'handles'>): Promise<RunView> {
  const [states, progress] = await Promise.all([options.executor.status(options.handles), readRunProgress(options.storage, options.runId)])
  const progressOf = new Map(progress.map((entry) => [`${entry.quarter}/${entry.partition}`, entry]))
  const partitions = states.map((state) => ({state, progress: progressOf.get(`${state.handle.quarter}/${state.handle.partition}`)}))
  return {runId: options.runId, partitions, finished: states.every((state) => isFinished(state.phase))}
}
