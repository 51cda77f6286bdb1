import path from 'node:path'
import {chunkFolder, chunkKey, commitTable, parseChunkKey, tables} from '../layout.js'
import type {Quarter} from '../../base/quarter.js'
import type {Storage} from '../../storage/storage.js'
import {partitionKey} from './committed-firms.js'

/** The error kinds a firm row can carry (src/pipeline/firm-error.ts), for `--retry-kind`. */
export const failureKinds = ['no_transcript', 'bad_transcript', 'too_few_sentences', 'source_error', 'model_error', 'llm_error'] as const

/** What `--retry-failed` gave back to the workers. */
export interface ReleasedFailures {
  /** Failed firms taken out of the committed chunks, so the next workers redo them. */
  firms: number
  /** How many of them per error kind. */
  kinds: Record<string, number>
  /** The partitions (`<quarter>/<partition>`) that had any. */
  partitions: string[]
}

/**
 * Uncommits the failed firms of some partitions (of the given error kinds, or all): each committed firms chunk that
 * holds such rows is replaced, in one atomic write, by a copy without them; a chunk left with no firm loses its
 * firms file (its commit marker) first, then its data files. A failed firm has rows in the firms table only, so no
 * other table changes. The firms are then simply not committed: the workers of the next submission redo them, as
 * after a crash, and every firm still appears exactly once. A crash in the middle leaves some chunks rewritten and
 * some not; both states are valid, and running it again finishes the job.
 */
export async function releaseFailedFirms(
  storage: Storage,
  runId: string,
  partitions: {quarter: Quarter; partition: number}[],
  kinds?: readonly string[],
): Promise<ReleasedFailures> {
  const released: ReleasedFailures = {firms: 0, kinds: {}, partitions: []}
  const wanted = new Set(partitions.map((entry) => partitionKey(entry.quarter, entry.partition)))
  const keys: string[] = []
  for (const quarter of new Set(partitions.map((entry) => entry.quarter))) {
    for (const key of await storage.list(chunkFolder(commitTable, quarter, runId))) {
      const chunk = parseChunkKey(key)
      if (chunk && wanted.has(partitionKey(chunk.quarter, chunk.partition))) keys.push(key)
    }
  }
  if (keys.length === 0) return released
  // The pipeline's own Parquet reader and writer (DuckDB stays out of the core's static imports).
  const {ParquetWriter} = await import('../../pipeline/output/parquet-writer.js')
  const writer = await ParquetWriter.open()
  try {
    for (const key of keys) {
      const chunk = parseChunkKey(key)!
      const file = await localCopy(storage, key, writer.stagingFile(`retry-${path.posix.basename(key)}`))
      const rows = await writer.readTextColumns(file, ['firm_id', 'status', 'error_kind'])
      const failed = rows.filter((row) => row.status === 'failed' && (!kinds || kinds.includes(row.error_kind ?? '')))
      if (failed.length === 0) continue
      if (failed.length === rows.length) {
        // The commit marker goes first: from then on the chunk's data files are leftovers the worker removes.
        await storage.remove(key)
        for (const table of tables.filter((name) => name !== commitTable)) await storage.remove(chunkKey(table, chunk.quarter, runId, chunk))
      } else {
        const kept = await writer.copyWithout(file, 'firm_id', failed.map((row) => row.firm_id!), `kept-${path.posix.basename(key)}`)
        await storage.putFile(key, kept)
      }
      released.firms += failed.length
      for (const row of failed) released.kinds[row.error_kind ?? 'unknown'] = (released.kinds[row.error_kind ?? 'unknown'] ?? 0) + 1
      const partition = partitionKey(chunk.quarter, chunk.partition)
      if (!released.partitions.includes(partition)) released.partitions.push(partition)
    }
  } finally {
    await writer.close()
  }
  return released
}

/** `26 firms (no_transcript 20, source_error 6)` */
export function describeReleased(released: ReleasedFailures): string {
  const kinds = Object.entries(released.kinds).map(([kind, count]) => `${kind} ${count}`).join(', ')
  return `${released.firms} failed firm${released.firms === 1 ? '' : 's'}${kinds ? ` (${kinds})` : ''}`
}

async function localCopy(storage: Storage, key: string, staging: string): Promise<string> {
  const local = storage.localPath(key)
  if (local) return local
  await storage.getFile(key, staging)
  return staging
}
