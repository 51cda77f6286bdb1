import {rmSync} from 'node:fs'
import {type DuckDBConnection, DuckDBInstance} from '@duckdb/node-api'
import pLimit from 'p-limit'
import {defaultMeasures} from '../core/config/measures-schema.js'
import {type TableName, tables} from '../core/layout.js'
import {tableColumns} from '../pipeline/output/table-columns.js'
import {cachedFile} from '../storage/local-cache.js'
import {S3Storage} from '../storage/s3-storage.js'
import type {Storage} from '../storage/storage.js'
import {committedFiles, rootCommittedFiles} from './committed-files.js'
import {derivedViews} from './derived-views.js'
import {createMeasureViews, measureViewCatalog} from './measure-views.js'
import {createTable, partitionsTable, runsTable} from './record-tables.js'
import {createThemeViews, themeViewCatalog} from './theme-views.js'

/** A value from a query, converted to plain JSON-friendly JavaScript. */
export type Cell = string | number | boolean | null | Cell[]

export interface QueryResult {
  columns: string[]
  rows: Cell[][]
}

/** A query parameter, bound to $1, $2… in order. */
export type Parameter = string | number | null

/** Every view a query can use, with what it holds, in the order people meet them. */
export const viewCatalog: {name: string; description: string}[] = [
  {name: 'firms', description: 'one row per firm and quarter: status, error, counts, stage timings (committed chunks only)'},
  {name: 'topics', description: 'one row per topic of a firm: label, keywords, size, representative sentences'},
  {name: 'root_topics', description: "the topics of every run under the root: where topic_continuity finds a firm's previous quarter"},
  {name: 'sentences', description: 'one row per sentence with its topic (-1 = outlier)'},
  {name: 'runs', description: 'one row per run record under the root: status, times, plan, executor'},
  {name: 'partitions', description: "one row per partition of this run from its progress file: phase, firms, throughput"},
  ...derivedViews.map(({name, description}) => ({name, description})),
  ...measureViewCatalog,
  ...themeViewCatalog,
]

/**
 * A DuckDB session over one run's committed Parquet: views `firms`, `topics`, `sentences`, tables `runs` and
 * `partitions` from the run records and progress files, and the derived views of derived-views.ts.
 */
export class ResultViews {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /**
   * Opens DuckDB and creates the views over the run's committed chunks. With `database`, writes a DuckDB file
   * instead (replacing any file there) in which the Parquet tables are copied in, so it opens anywhere on its own.
   */
  static async open(storage: Storage, runId: string, options: {database?: string; continuityMinSimilarity?: number} = {}): Promise<ResultViews> {
    if (options.database) for (const file of [options.database, `${options.database}.wal`]) rmSync(file, {force: true})
    const instance = await DuckDBInstance.create(options.database ?? ':memory:')
    const connection = await instance.connect()
    const files = await committedFiles(storage, runId)
    const fetching = pLimit(16) // remote storage copies files into a local cache: a few at a time
    for (const table of tables) {
      const local = await Promise.all(files[table].map(async (key) => fetching(async () => localFile(storage, key))))
      await connection.run(tableSql(table, local, options.database ? 'TABLE' : 'VIEW'))
    }
    // Every run's topics under the root: the continuity view links a quarter to the one before it from any run.
    const rootTopics = await Promise.all((await rootCommittedFiles(storage, 'topics')).map(async (key) => fetching(async () => localFile(storage, key))))
    await connection.run(tableSql('topics', rootTopics, options.database ? 'TABLE' : 'VIEW', 'root_topics'))
    await createThemeViews(connection, storage, runId, async (key) => fetching(async () => localFile(storage, key)), options.database ? 'TABLE' : 'VIEW')
    await createTable(connection, 'runs', await runsTable(storage))
    await createTable(connection, 'partitions', await partitionsTable(storage, runId))
    for (const view of derivedViews) await connection.run(`CREATE VIEW ${view.name} AS ${view.sql}`)
    await createMeasureViews(connection, {continuityMinSimilarity: options.continuityMinSimilarity ?? defaultMeasures.continuityMinSimilarity})
    return new ResultViews(instance, connection)
  }

  /** Runs SQL (with optional positional parameters $1, $2…) and returns all rows. */
  async query(sql: string, parameters: Parameter[] = []): Promise<QueryResult> {
    const reader = parameters.length > 0 ? await this.connection.runAndReadAll(sql, parameters) : await this.connection.runAndReadAll(sql)
    return {columns: reader.columnNames(), rows: reader.getRowsJson() as Cell[][]}
  }

  /** Writes the result of a query to a Parquet file (zstd-compressed); returns the number of rows. */
  async exportParquet(sql: string, parameters: Parameter[], file: string): Promise<number> {
    const create = `CREATE OR REPLACE TEMP TABLE ftm_export AS ${sql.trim().replace(/;\s*$/, '')}`
    await (parameters.length > 0 ? this.connection.run(create, parameters) : this.connection.run(create))
    await this.connection.run(`COPY ftm_export TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`)
    const count = await this.connection.runAndReadAll('SELECT count(*)::INTEGER FROM ftm_export')
    await this.connection.run('DROP TABLE ftm_export')
    return Number(count.getRowsJson()[0]![0])
  }

  /** Closes the session; a database file is checkpointed first, so it is complete on disk. */
  close(): void {
    this.connection.closeSync()
    this.instance.closeSync()
  }
}

/** A path DuckDB can open: the file itself on local storage, a copy in the local cache (synced by ETag) for S3. */
async function localFile(storage: Storage, key: string): Promise<string> {
  if (storage instanceof S3Storage) return (await cachedFile(storage, key)).file
  const file = storage.localPath(key)
  if (!file) throw new Error(`The storage ${storage.uri} has no local files and no cache`)
  return file
}

function tableSql(table: TableName, files: string[], kind: 'VIEW' | 'TABLE', name: string = table): string {
  if (files.length === 0) {
    // No committed chunk yet: an empty view with the table's columns, so queries still run.
    const columns = tableColumns[table].map((column) => `CAST(NULL AS ${column.type}) AS "${column.name}"`).join(', ')
    return `CREATE ${kind} ${name} AS SELECT ${columns} WHERE false`
  }
  const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')
  return `CREATE ${kind} ${name} AS SELECT * EXCLUDE (run) FROM read_parquet([${list}], hive_partitioning = true, union_by_name = true)`
}
