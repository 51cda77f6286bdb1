import os from 'node:os'
import {UserError} from '../../src/base/errors.js'

/** Memory one `ftm worker` process holds at its peak (embedding model, DuckDB, one chunk; measured ~240 MB). */
export const workerMemoryBytes = 240 * 1024 * 1024

/** Workers per core beyond which they only wait for each other (a worker is CPU-bound, with some I/O). */
const workersPerCore = 4

/** What bounds the workers of this machine. */
export interface MachineFacts {
  cores: number
  memoryBytes: number
}

/** This machine's cores and memory. */
export function thisMachine(): MachineFacts {
  return {cores: os.availableParallelism(), memoryBytes: os.totalmem()}
}

/** The most worker processes this machine can run at once: by cores, and by 80% of its memory. */
export function workerCapacity(machine: MachineFacts): {workers: number; byCores: number; byMemory: number} {
  const byCores = machine.cores * workersPerCore
  const byMemory = Math.max(1, Math.floor((machine.memoryBytes * 0.8) / workerMemoryBytes))
  return {workers: Math.min(byCores, byMemory), byCores, byMemory}
}

/** Refuses a --parallel the machine cannot hold, with the reason and the largest value that fits. */
export function checkParallel(parallel: number, machine: MachineFacts = thisMachine()): void {
  const capacity = workerCapacity(machine)
  if (parallel <= capacity.workers) return
  const gib = (machine.memoryBytes / 1024 ** 3).toFixed(0)
  throw new UserError(
    `--parallel ${parallel} is more worker processes than this machine can run: ${machine.cores} cores allow ${capacity.byCores} (${workersPerCore} per core) and ${gib} GiB of memory allows ${capacity.byMemory} (about 240 MB each).`,
    `Pass --parallel ${capacity.workers} or less, or run many partitions elsewhere (--executor batch).`,
  )
}
