import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import type {PartitionProgress} from '../../src/core/progress.js'
import type {RunRecord} from '../../src/core/run-record.js'

/**
 * Polls `check` until it returns a value; the test's own timeout is the only limit (no wall-clock assertion).
 * Given the process whose progress is watched, it fails at once when that process ends first instead of hanging.
 */
export async function waitFor<T>(check: () => T | undefined, intervalMs = 25, process?: PromiseLike<unknown>): Promise<T> {
  let ended = false
  void process?.then(
    () => (ended = true),
    () => (ended = true),
  )
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (ended) throw new Error('the process ended before the awaited state was seen')
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** The only run id under a root, once its record exists. */
export function onlyRunId(root: string): string | undefined {
  try {
    return readdirSync(path.join(root, 'runs'))[0]
  } catch {
    return undefined
  }
}

/** A run record read straight from a local root. */
export function readRecord(root: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(path.join(root, 'runs', runId, 'run.json'), 'utf8')) as RunRecord
}

/** A partition's progress read straight from a local root, or undefined before the worker wrote it. */
export function readPartitionProgress(root: string, quarter: string, partition = 0): PartitionProgress | undefined {
  const runId = onlyRunId(root)
  if (!runId) return undefined
  try {
    const file = path.join(root, 'runs', runId, 'progress', quarter, `part-${String(partition).padStart(5, '0')}.json`)
    return JSON.parse(readFileSync(file, 'utf8')) as PartitionProgress
  } catch {
    return undefined
  }
}
