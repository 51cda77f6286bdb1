import {createExecutor} from '../executor-registry.js'
import type {Executor} from '../executor.js'
import type {Clock} from '../../base/clock.js'
import {poll} from '../poll.js'
import {readRunRecord} from '../run-record.js'
import type {Storage} from '../../storage/storage.js'
import {lookWithRetry, observeRun, type RunView} from './monitor-run.js'

/**
 * Watches a run from any process (`ftm status --watch`): the same view `ftm run` shows, from the executor and the
 * progress files, until every partition has finished or the run has ended with nothing left running.
 */
export async function watchRun(
  storage: Storage,
  runId: string,
  options: {onUpdate: (view: RunView) => void; signal?: AbortSignal; clock?: Clock; environment?: NodeJS.ProcessEnv; onRetry?: (message: string) => void},
): Promise<void> {
  let executor: Executor | undefined
  let budgetMs: number | undefined
  await poll(
    async () => {
      // A transient fault of storage or the executor is retried like the monitor does, within the run's budget.
      const look = {runId, root: storage.uri, retryBudgetMs: budgetMs, onRetry: options.onRetry, clock: options.clock, signal: options.signal}
      const {record, view} = await lookWithRetry(async () => {
        const record = await readRunRecord(storage, runId)
        if (record.jobs.length === 0) return {record, view: undefined} // not submitted yet (or never will be)
        executor ??= await createExecutor(record.executor.name, {storage, environment: options.environment ?? process.env})
        return {record, view: await observeRun({storage, executor, runId, handles: record.jobs})}
      }, look, 'ftm status --watch')
      budgetMs = (record.config.worker.commitRetrySeconds ?? 60) * 1000
      if (!view) return record.status !== 'running'
      options.onUpdate(view)
      return view.finished || (record.status !== 'running' && view.partitions.every((partition) => partition.state.phase !== 'running'))
    },
    {interval: 1000, minimumInterval: 250, signal: options.signal, clock: options.clock},
  )
}
