import {rm} from 'node:fs/promises'
import path from 'node:path'
import {makeStagingFolder, removeAbandonedStagingFolders} from './staging-folders.js'
import {
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBType,
  FLOAT,
  INTEGER,
  LIST,
  listValue,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api'
import type {TableName} from '../../core/layout.js'
import {type Column, type ColumnType, tableColumns, type TableRow} from './table-columns.js'

const duckTypes: Record<ColumnType, DuckDBType> = {
  VARCHAR,
  INTEGER,
  DOUBLE,
  TIMESTAMPTZ,
  'VARCHAR[]': LIST(VARCHAR),
  'INTEGER[]': LIST(INTEGER),
  'FLOAT[]': LIST(FLOAT),
  'DOUBLE[]': LIST(DOUBLE),
}

/** Writes output rows to Parquet files with an in-process DuckDB; one per worker. */
export class ParquetWriter {
  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly staging: string,
  ) {}

  /** Starts DuckDB and a staging folder for files on their way to storage, first removing folders dead workers left. */
  static async open(): Promise<ParquetWriter> {
    await removeAbandonedStagingFolders()
    const instance = await DuckDBInstance.create(':memory:', {threads: '1'})
    const staging = await makeStagingFolder()
    return new ParquetWriter(await instance.connect(), staging)
  }

  /** Writes rows of one table to a local Parquet file and returns its path. */
  async writeFile(table: TableName, rows: readonly TableRow[], fileName: string): Promise<string> {
    return this.writeRows(tableColumns[table], rows, fileName)
  }

  /** Writes rows with the given columns (any table, e.g. the reduce step's) to a local Parquet file; returns its path. */
  async writeRows(columns: readonly Column[], rows: readonly TableRow[], fileName: string): Promise<string> {
    const staged = 'staged_rows'
    // Timestamps are staged as ISO text and cast when copied out.
    const stagedType = (column: Column): string => (column.type === 'TIMESTAMPTZ' ? 'VARCHAR' : column.type)
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${staged} (${columns.map((column) => `"${column.name}" ${stagedType(column)}`).join(', ')})`)
    const appender = await this.connection.createAppender(staged)
    for (const row of rows) {
      for (const column of columns) appendValue(appender, column, row[column.name])
      appender.endRow()
    }
    appender.closeSync()
    const file = path.join(this.staging, fileName)
    const select = columns.map((column) => (column.type === 'TIMESTAMPTZ' ? `CAST("${column.name}" AS TIMESTAMPTZ) AS "${column.name}"` : `"${column.name}"`))
    await this.connection.run(`COPY (SELECT ${select.join(', ')} FROM ${staged}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`)
    await this.connection.run(`DROP TABLE ${staged}`)
    return file
  }

  /** A path in the staging folder, for files on their way from storage. */
  stagingFile(fileName: string): string {
    return path.join(this.staging, fileName)
  }

  /** Reads one column of Parquet files (e.g. the firm ids of committed chunks). */
  async readColumn(files: readonly string[], name: string): Promise<string[]> {
    if (files.length === 0) return []
    const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ')
    const reader = await this.connection.runAndReadAll(`SELECT CAST("${name}" AS VARCHAR) AS value FROM read_parquet([${list}])`)
    return reader.getRowObjectsJS().map((row) => String(row.value))
  }

  /** Reads some columns of one Parquet file, or of several as one table, as text (null stays null), row by row. */
  async readTextColumns(file: string | readonly string[], names: readonly string[]): Promise<Record<string, string | null>[]> {
    const files = typeof file === 'string' ? [file] : file
    if (files.length === 0) return []
    const select = names.map((name) => `CAST("${name}" AS VARCHAR) AS "${name}"`).join(', ')
    const reader = await this.connection.runAndReadAll(`SELECT ${select} FROM read_parquet([${files.map(quoted).join(', ')}])`)
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(names.map((name) => [name, row[name] === null || row[name] === undefined ? null : String(row[name])])))
  }

  /** Copies a Parquet file without the rows whose column holds one of some values (same columns, same types); returns the new file. */
  async copyWithout(file: string, column: string, values: readonly string[], fileName: string): Promise<string> {
    const target = path.join(this.staging, fileName)
    const list = values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')
    const where = values.length > 0 ? ` WHERE CAST("${column}" AS VARCHAR) NOT IN (${list})` : ''
    await this.connection.run(`COPY (SELECT * FROM read_parquet(${quoted(file)})${where}) TO ${quoted(target)} (FORMAT parquet, COMPRESSION zstd)`)
    return target
  }

  /** Stops DuckDB and removes the staging folder. */
  async close(): Promise<void> {
    this.connection.closeSync()
    await rm(this.staging, {recursive: true, force: true})
  }
}

function quoted(file: string): string {
  return `'${file.replaceAll("'", "''")}'`
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>

function appendValue(appender: Appender, column: Column, value: unknown): void {
  if (value === null || value === undefined) return appender.appendNull()
  switch (column.type) {
    case 'VARCHAR':
      return appender.appendVarchar(String(value))
    case 'INTEGER':
      return appender.appendInteger(Math.round(Number(value)))
    case 'DOUBLE':
      return appender.appendDouble(Number(value))
    case 'TIMESTAMPTZ':
      return appender.appendVarchar(String(value))
    default:
      return appender.appendList(listValue(Array.from(value as ArrayLike<string | number>)), duckTypes[column.type] as ReturnType<typeof LIST>)
  }
}
