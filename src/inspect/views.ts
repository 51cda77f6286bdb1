import {type DuckDBConnection, DuckDBInstance} from '@duckdb/node-api'
import {type TableName, tables} from '../core/layout.js'
import {tableColumns} from '../pipeline/output/table-columns.js'
import type {Storage} from '../storage/storage.js'
import {committedFiles} from './committed-files.js'

/** A value from a query, converted to plain JSON-friendly JavaScript. */
export type Cell = string | number | boolean | null | Cell[]

export interface QueryResult {
  columns: string[]
  rows: Cell[][]
}

/** A DuckDB session with views `firms`, `topics` and `sentences` over one run's committed Parquet. */
export class ResultViews {
  private constructor(private readonly connection: DuckDBConnection) {}

  /** Opens DuckDB in memory and creates the views over the run's committed chunks. */
  static async open(storage: Storage, runId: string): Promise<ResultViews> {
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    const files = await committedFiles(storage, runId)
    for (const table of tables) await connection.run(viewSql(table, files[table].map((key) => localFile(storage, key))))
    return new ResultViews(connection)
  }

  /** Runs SQL (with optional positional parameters $1, $2…) and returns all rows. */
  async query(sql: string, parameters: (string | number)[] = []): Promise<QueryResult> {
    const reader = parameters.length > 0 ? await this.connection.runAndReadAll(sql, parameters) : await this.connection.runAndReadAll(sql)
    return {columns: reader.columnNames(), rows: reader.getRowsJson() as Cell[][]}
  }

  close(): void {
    this.connection.closeSync()
  }
}

function localFile(storage: Storage, key: string): string {
  const file = storage.localPath(key)
  if (!file) throw new Error('Inspecting remote storage needs a local cache, which this version lacks')
  return file
}

function viewSql(table: TableName, files: string[]): string {
  if (files.length === 0) {
    // No committed chunk yet: an empty view with the table's columns, so queries still run.
    const columns = tableColumns[table].map((column) => `CAST(NULL AS ${column.type}) AS "${column.name}"`).join(', ')
    return `CREATE VIEW ${table} AS SELECT ${columns} WHERE false`
  }
  const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')
  return `CREATE VIEW ${table} AS SELECT * EXCLUDE (run) FROM read_parquet([${list}], hive_partitioning = true, union_by_name = true)`
}
