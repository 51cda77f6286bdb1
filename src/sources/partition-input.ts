import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement} from '@duckdb/node-api'
import {UserError} from '../base/errors.js'
import type {Quarter} from '../base/quarter.js'
import type {Storage} from '../storage/storage.js'
import {compareFirmIds, type FirmRef} from './firm-ref.js'
import type {FirmTranscript, TranscriptSource} from './transcript-source.js'

/**
 * A partition's input (issue 22, item 4): the planned call of each of its firms, one row per component, in a Parquet
 * file next to its manifest. Rows are sorted by firm id (as text) and kept in small row groups, so that a worker
 * reading one firm decodes about one row group, whatever the size of the partition.
 */
const columns = [
  ['firm_id', 'VARCHAR'],
  ['firm_name', 'VARCHAR'],
  ['transcript_id', 'VARCHAR'],
  ['call_date', 'VARCHAR'],
  ['component_order', 'BIGINT'],
  ['component_text', 'VARCHAR'],
  ['speaker_type', 'VARCHAR'],
  ['component_type', 'VARCHAR'],
] as const

/** Rows per Parquet row group: a few dozen calls, the most a firm's read decodes beside its own rows. */
const rowGroupRows = 2048

/** The most memory the writer's DuckDB holds a partition in before it spills to disk. */
const writerMemoryLimit = '128MB'

/** What one written partition input holds. */
export interface PartitionInputSummary {
  firms: number
  components: number
}

/** Writes partition inputs through one in-process DuckDB; each file is staged locally, then stored atomically. */
export class PartitionInputWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly staging: string,
  ) {}

  /** Starts DuckDB (one thread) and a staging folder. */
  static async open(): Promise<PartitionInputWriter> {
    const {DuckDBInstance} = await import('@duckdb/node-api')
    const staging = await mkdtemp(path.join(os.tmpdir(), 'ftm-inputs-'))
    // A partition beyond the memory limit spills to the staging folder: the planner holds the parsed source, not it twice.
    const instance = await DuckDBInstance.create(':memory:', {threads: '1', memory_limit: writerMemoryLimit, temp_directory: staging})
    return new PartitionInputWriter(instance, await instance.connect(), staging)
  }

  /**
   * Writes the calls of one partition under key: they are fetched one firm at a time (so only one partition is
   * held beside the source), written to Parquet, and the file is stored whole or not at all.
   */
  async write(storage: Storage, key: string, firmIds: readonly string[], fetch: (firmId: string) => Promise<FirmTranscript | undefined>): Promise<PartitionInputSummary> {
    const table = 'partition_input'
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`)
    const appender = await this.connection.createAppender(table)
    const summary: PartitionInputSummary = {firms: 0, components: 0}
    for (const firmId of [...firmIds].sort(byText)) {
      const call = await fetch(firmId)
      if (!call) continue
      summary.firms++
      for (const component of call.components) {
        appender.appendVarchar(call.firmId)
        appender.appendVarchar(call.firmName)
        appender.appendVarchar(call.transcriptId)
        appender.appendVarchar(call.callDate)
        appender.appendBigInt(BigInt(component.componentOrder))
        appender.appendVarchar(component.text)
        appender.appendVarchar(component.speakerType)
        if (component.componentType === undefined) appender.appendNull()
        else appender.appendVarchar(component.componentType)
        appender.endRow()
        summary.components++
      }
    }
    appender.closeSync()
    const file = path.join(this.staging, 'partition-input.parquet')
    await this.connection.run(`COPY ${table} TO ${quote(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows})`)
    await this.connection.run(`DROP TABLE ${table}`)
    try {
      await storage.putFile(key, file)
    } finally {
      await rm(file, {force: true})
    }
    return summary
  }

  /** Stops DuckDB and removes the staging folder. */
  async close(): Promise<void> {
    this.connection.closeSync()
    this.instance.closeSync()
    await rm(this.staging, {recursive: true, force: true})
  }
}

/**
 * The transcripts of one partition, read from the input the planner wrote (never the run's source): the file is
 * opened in place on a local root, or downloaded once from S3 (that partition's object only); each firm's call is
 * one query that decodes the row group holding it.
 */
export class PartitionInputSource implements TranscriptSource {
  /** One firm's rows, prepared once. */
  private firmQuery?: Promise<DuckDBPreparedStatement>

  private constructor(
    private readonly quarter: Quarter,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly file: string,
    private readonly downloaded: string | undefined,
  ) {}

  /**
   * Opens the input of a partition stored under key. A missing input is a UserError (the run is damaged: nothing
   * would make it appear); storage errors are left to the caller's retries.
   */
  static async open(storage: Storage, key: string, quarter: Quarter): Promise<PartitionInputSource> {
    let file = storage.localPath(key)
    let downloaded: string | undefined
    if (file && !existsSync(file)) throw missingInput(storage, key)
    if (!file) {
      downloaded = await mkdtemp(path.join(os.tmpdir(), 'ftm-input-'))
      file = path.join(downloaded, 'partition-input.parquet')
      if (!(await storage.getFile(key, file))) {
        await rm(downloaded, {recursive: true, force: true})
        throw missingInput(storage, key)
      }
    }
    const {DuckDBInstance} = await import('@duckdb/node-api')
    const instance = await DuckDBInstance.create(':memory:', {threads: '1'})
    const connection = await instance.connect()
    try {
      await connection.run(`CREATE VIEW partition_input AS SELECT * FROM read_parquet(${quote(file)})`)
    } catch (error) {
      connection.closeSync()
      instance.closeSync()
      if (downloaded) await rm(downloaded, {recursive: true, force: true})
      throw error
    }
    return new PartitionInputSource(quarter, instance, connection, file, downloaded)
  }

  async listQuarters(): Promise<Quarter[]> {
    return [this.quarter]
  }

  async listFirms(quarter: Quarter): Promise<FirmRef[]> {
    if (quarter !== this.quarter) return []
    const reader = await this.connection.runAndReadAll('SELECT DISTINCT firm_id, firm_name FROM partition_input')
    return reader
      .getRowObjectsJS()
      .map((row) => ({id: String(row.firm_id), name: String(row.firm_name)}))
      .sort((a, b) => compareFirmIds(a.id, b.id))
  }

  async fetchFirm(firmId: string, quarter: Quarter): Promise<FirmTranscript | undefined> {
    if (quarter !== this.quarter) return undefined
    this.firmQuery ??= this.connection.prepare('SELECT * FROM partition_input WHERE firm_id = $1 ORDER BY component_order')
    const statement = await this.firmQuery
    statement.bindVarchar(1, firmId)
    const rows = (await statement.runAndReadAll()).getRowObjectsJS()
    if (rows.length === 0) return undefined
    const first = rows[0]!
    return {
      firmId: String(first.firm_id),
      firmName: String(first.firm_name),
      transcriptId: String(first.transcript_id),
      callDate: String(first.call_date),
      components: rows.map((row) => ({
        componentOrder: Number(row.component_order),
        text: String(row.component_text),
        speakerType: String(row.speaker_type),
        ...(row.component_type === null ? {} : {componentType: String(row.component_type)}),
      })),
    }
  }

  /** The local file read: the stored input itself on a local root, else its downloaded copy. */
  get localFile(): string {
    return this.file
  }

  async close(): Promise<void> {
    const statement = await this.firmQuery?.catch(() => undefined)
    statement?.destroySync()
    this.connection.closeSync()
    this.instance.closeSync()
    if (this.downloaded) await rm(this.downloaded, {recursive: true, force: true})
  }
}

function missingInput(storage: Storage, key: string): UserError {
  return new UserError(
    `The partition input ${storage.uri.replace(/\/$/, '')}/${key} is missing: the run was planned with it and its workers read nothing else.`,
    'Restore it from a backup of the storage root, or start a new run from the source with `ftm run`.',
  )
}

function quote(file: string): string {
  return `'${file.replaceAll("'", "''")}'`
}

/** Firm ids in the order of their text, as Parquet's statistics compare them. */
function byText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}
