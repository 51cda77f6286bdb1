import type {DuckDBConnection} from '@duckdb/node-api'
import {runsPrefix} from '../core/layout.js'
import {readRunProgress} from '../core/progress.js'
import type {RunRecord} from '../core/run-record.js'
import {readJson, type Storage} from '../storage/storage.js'

type Value = string | number | null

interface TableSpec {
  columns: [name: string, type: string][]
  rows: Value[][]
}

/** The run records under a root, one row each: the `runs` table. */
export async function runsTable(storage: Storage): Promise<TableSpec> {
  const keys = (await storage.list(runsPrefix)).filter((key) => /^runs\/[^/]+\/run\.json$/.test(key))
  const records = (await Promise.all(keys.map(async (key) => readJson<RunRecord>(storage, key).catch(() => undefined)))).filter(
    (record): record is RunRecord => record !== undefined,
  )
  return {
    columns: [
      ['run_id', 'VARCHAR'],
      ['status', 'VARCHAR'],
      ['created_at', 'TIMESTAMPTZ'],
      ['updated_at', 'TIMESTAMPTZ'],
      ['finished_at', 'TIMESTAMPTZ'],
      ['seconds', 'DOUBLE'],
      ['quarters', 'VARCHAR[]'],
      ['firms', 'INTEGER'],
      ['partitions', 'INTEGER'],
      ['executor', 'VARCHAR'],
      ['parallel', 'INTEGER'],
      ['jobs', 'INTEGER'],
      ['source', 'VARCHAR'],
      ['root', 'VARCHAR'],
      ['ftm_version', 'VARCHAR'],
      ['reason', 'VARCHAR'],
    ],
    rows: records.map((record) => [
      record.id,
      record.status,
      record.createdAt,
      record.updatedAt,
      record.finishedAt ?? null,
      record.finishedAt ? (Date.parse(record.finishedAt) - Date.parse(record.createdAt)) / 1000 : null,
      record.plan.map((quarter) => quarter.quarter).join(','),
      record.plan.reduce((sum, quarter) => sum + quarter.firms, 0),
      record.plan.reduce((sum, quarter) => sum + quarter.partitions, 0),
      record.executor.name,
      record.executor.parallel,
      record.jobs.length,
      record.source,
      record.root,
      record.ftmVersion,
      record.reason ?? null,
    ]),
  }
}

/** The progress files of one run, one row per partition: the `partitions` table (throughput, phase, attempts). */
export async function partitionsTable(storage: Storage, runId: string): Promise<TableSpec> {
  const progress = await readRunProgress(storage, runId)
  return {
    columns: [
      ['run_id', 'VARCHAR'],
      ['quarter', 'VARCHAR'],
      ['partition', 'INTEGER'],
      ['phase', 'VARCHAR'],
      ['attempt', 'INTEGER'],
      ['firms_total', 'INTEGER'],
      ['firms_resumed', 'INTEGER'],
      ['firms_processed', 'INTEGER'],
      ['firms_failed', 'INTEGER'],
      ['firms_committed', 'INTEGER'],
      ['chunks_committed', 'INTEGER'],
      ['started_at', 'TIMESTAMPTZ'],
      ['updated_at', 'TIMESTAMPTZ'],
      ['seconds', 'DOUBLE'],
      ['firms_per_second', 'DOUBLE'],
      ['host', 'VARCHAR'],
      ['exit_code', 'INTEGER'],
      ['reason', 'VARCHAR'],
    ],
    rows: progress.map((part) => [
      part.runId,
      part.quarter,
      part.partition,
      part.phase,
      part.attempt,
      part.firmsTotal,
      part.firmsResumed,
      part.firmsProcessed,
      part.firmsFailed,
      part.firmsCommitted,
      part.chunksCommitted,
      part.startedAt,
      part.updatedAt,
      (Date.parse(part.updatedAt) - Date.parse(part.startedAt)) / 1000,
      part.rate,
      part.host,
      part.exitCode ?? null,
      part.reason ?? null,
    ]),
  }
}

/** Creates a table and fills it; list columns arrive as comma-joined text and are split here. */
export async function createTable(connection: DuckDBConnection, name: string, spec: TableSpec): Promise<void> {
  await connection.run(`CREATE TABLE ${name} (${spec.columns.map(([column, type]) => `"${column}" ${type}`).join(', ')})`)
  const values = spec.columns.map(([, type], index) => (type === 'VARCHAR[]' ? `string_split($${index + 1}, ',')` : `$${index + 1}`)).join(', ')
  for (const row of spec.rows) await connection.run(`INSERT INTO ${name} VALUES (${values})`, row)
}
