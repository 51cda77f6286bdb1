import path from 'node:path'
import {chunkFolder, commitTable, parseChunkKey} from '../layout.js'
import type {Quarter} from '../../base/quarter.js'
import type {Storage} from '../../storage/storage.js'

/** A partition of a run, as `<quarter>/<partition>`. */
export function partitionKey(quarter: Quarter, partition: number): string {
  return `${quarter}/${partition}`
}

/**
 * The firm ids each partition has committed, read from the run's data (the firms table's committed chunks), keyed by
 * partitionKey. The truth of a run: a job's own status says nothing about what it wrote. DuckDB is loaded only when
 * there are chunks to read.
 */
export async function readCommittedFirms(storage: Storage, runId: string, partitions: {quarter: Quarter; partition: number}[]): Promise<Map<string, Set<string>>> {
  const committed = new Map(partitions.map((entry) => [partitionKey(entry.quarter, entry.partition), new Set<string>()]))
  const filesOf = new Map<string, string[]>()
  for (const quarter of new Set(partitions.map((entry) => entry.quarter))) {
    for (const key of await storage.list(chunkFolder(commitTable, quarter, runId))) {
      const chunk = parseChunkKey(key)
      const partition = chunk && partitionKey(chunk.quarter, chunk.partition)
      if (!partition || !committed.has(partition)) continue
      filesOf.set(partition, [...(filesOf.get(partition) ?? []), key])
    }
  }
  if (filesOf.size === 0) return committed
  // The pipeline's own reader of its Parquet files (DuckDB stays out of the core's static imports).
  const {ParquetWriter} = await import('../../pipeline/output/parquet-writer.js')
  const reader = await ParquetWriter.open()
  try {
    for (const [partition, keys] of filesOf) {
      const files = await Promise.all(keys.map((key) => localCopy(storage, key, reader.stagingFile(`ledger-${path.posix.basename(key)}`))))
      for (const firm of await reader.readColumn(files, 'firm_id')) committed.get(partition)!.add(firm)
    }
  } finally {
    await reader.close()
  }
  return committed
}

async function localCopy(storage: Storage, key: string, staging: string): Promise<string> {
  const local = storage.localPath(key)
  if (local) return local
  await storage.getFile(key, staging)
  return staging
}
