import path from 'node:path'
import {chunkFolder, chunkKey, commitTable, parseChunkKey, partitionName, tables} from '../core/layout.js'
import type {Quarter} from '../base/quarter.js'
import type {Storage} from '../storage/storage.js'
import type {ParquetWriter} from './output/parquet-writer.js'
import type {TableRows} from './output/table-columns.js'

/** What earlier attempts of a partition committed. */
export interface Recovered {
  committedFirms: Set<string>
  /** How many of the committed firms were committed as failed (they count in the partition's failures). */
  failedFirms: number
  chunksCommitted: number
}

/**
 * The commit protocol of one partition's output. A chunk's data files (topics, sentences) are written first and
 * its firms file last; a chunk exists once its firms file does. Anything else is an uncommitted leftover.
 */
export class PartitionCheckpoints {
  private nextChunk = 0

  constructor(
    private readonly storage: Storage,
    private readonly writer: ParquetWriter,
    private readonly runId: string,
    private readonly quarter: Quarter,
    private readonly partition: number,
    /** Throws unless this worker still holds the partition (its lease): run before clean-up and before each commit. */
    private readonly confirmHolder: () => Promise<void> = async () => {},
  ) {}

  /** Finds the firms committed by earlier attempts and removes the leftovers of uncommitted chunks. */
  async recover(): Promise<Recovered> {
    const prefixOf = (table: (typeof tables)[number]): string => `${chunkFolder(table, this.quarter, this.runId)}${partitionName(this.partition)}-`
    await this.confirmHolder()
    const committedKeys = await this.storage.list(prefixOf(commitTable))
    const committedChunks = new Set(committedKeys.map((key) => parseChunkKey(key)?.chunk))
    let highest = -1
    for (const table of tables) {
      await this.storage.removeTemporaryFiles(chunkFolder(table, this.quarter, this.runId))
      for (const key of await this.storage.list(prefixOf(table))) {
        const chunk = parseChunkKey(key)?.chunk
        if (chunk === undefined) continue
        highest = Math.max(highest, chunk)
        if (!committedChunks.has(chunk)) await this.storage.remove(key)
      }
    }
    this.nextChunk = highest + 1
    const files = await Promise.all(committedKeys.map((key) => this.localCopy(key)))
    const rows = await this.writer.readTextColumns(files, ['firm_id', 'status'])
    return {
      committedFirms: new Set(rows.map((row) => String(row.firm_id))),
      failedFirms: rows.filter((row) => row.status === 'failed').length,
      chunksCommitted: committedKeys.length,
    }
  }

  /** Commits the rows of some finished firms as the next chunk. */
  async commit(rows: TableRows): Promise<void> {
    if (rows.firms.length === 0) return
    // The number is taken only once the chunk is committed, so a retried commit overwrites its own leftovers.
    const chunk = {partition: this.partition, chunk: this.nextChunk}
    const ordered = [...tables.filter((table) => table !== commitTable), commitTable]
    await this.confirmHolder()
    for (const table of ordered) {
      if (table === commitTable) await this.confirmHolder()
      const key = chunkKey(table, this.quarter, this.runId, chunk)
      const file = await this.writer.writeFile(table, rows[table], path.posix.basename(key))
      await this.storage.putFile(key, file)
    }
    this.nextChunk++
  }

  private async localCopy(key: string): Promise<string> {
    const local = this.storage.localPath(key)
    if (local) return local
    const file = this.writer.stagingFile(`download-${path.posix.basename(key)}`)
    await this.storage.getFile(key, file)
    return file
  }
}
