import {UserError} from '../../base/errors.js'
import {createExecutor} from '../executor-registry.js'
import type {JobHandle} from '../executor.js'
import type {RunRecord} from '../run-record.js'
import type {Storage} from '../../storage/storage.js'

/** One log line and the partition it came from. */
export interface LogLine {
  quarter: string
  partition: number
  line: string
}

/** The submitted partitions a logs request is about: all, one quarter's, or one partition. */
export function chooseJobs(record: RunRecord, filter: {quarter?: string; partition?: number}): JobHandle[] {
  if (filter.quarter && !record.plan.some((quarter) => quarter.quarter === filter.quarter)) {
    throw new UserError(`Run ${record.id} has no quarter ${filter.quarter}.`, `Its quarters are ${record.plan.map((quarter) => quarter.quarter).join(', ')}.`)
  }
  const jobs = record.jobs.filter((handle) => (!filter.quarter || handle.quarter === filter.quarter) && (filter.partition === undefined || handle.partition === filter.partition))
  if (filter.partition !== undefined && jobs.length === 0 && record.jobs.length > 0) {
    throw new UserError(`Run ${record.id} has no partition ${filter.partition}${filter.quarter ? ` in ${filter.quarter}` : ''}.`, 'See `ftm status` for its partitions (numbered from 0).')
  }
  return jobs
}

/**
 * A run's worker logs through its executor (files under runs/<id>/logs/ for the process executor), partition by
 * partition; with `follow`, every chosen partition is read at once until its job has finished.
 */
export async function* readRunLogs(storage: Storage, record: RunRecord, jobs: JobHandle[], options: {follow?: boolean; environment?: NodeJS.ProcessEnv} = {}): AsyncIterable<LogLine> {
  if (jobs.length === 0) return
  const executor = await createExecutor(record.executor.name, {storage, environment: options.environment ?? process.env})
  const streams = jobs.map((handle) => tag(handle, executor.logs(handle, {follow: options.follow})))
  if (!options.follow) {
    for (const stream of streams) yield* stream
    return
  }
  yield* merge(streams)
}

async function* tag(handle: JobHandle, lines: AsyncIterable<string>): AsyncIterable<LogLine> {
  for await (const line of lines) yield {quarter: handle.quarter, partition: handle.partition, line}
}

/** Interleaves several async streams as their items arrive. */
async function* merge<T>(streams: AsyncIterable<T>[]): AsyncIterable<T> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]())
  const next = (index: number): Promise<{index: number; result: IteratorResult<T>}> => iterators[index]!.next().then((result) => ({index, result}))
  const pending = new Map(iterators.map((_, index) => [index, next(index)]))
  while (pending.size > 0) {
    const {index, result} = await Promise.race(pending.values())
    if (result.done) {
      pending.delete(index)
      continue
    }
    pending.set(index, next(index))
    yield result.value
  }
}
