import {UserError} from '../base/errors.js'
import {type ComponentRow, ComponentRowsSource} from './component-rows-source.js'
import {optionalColumns, requiredColumns} from './component-rows-source.js'

/** Transcripts from a Parquet file with the WRDS component columns, read with DuckDB. */
export class ParquetSource extends ComponentRowsSource {
  protected async *rows(): AsyncIterable<ComponentRow> {
    const {DuckDBInstance} = await import('@duckdb/node-api')
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      const file = `'${this.file.replaceAll("'", "''")}'`
      let names: string[]
      try {
        const described = await connection.runAndReadAll(`SELECT name FROM parquet_schema(${file})`)
        names = described.getRowsJson().map((row) => String(row[0]).toLowerCase())
      } catch (error) {
        throw new UserError(`The source file ${this.file} is not a readable Parquet file: ${(error as Error).message}`, 'Check the file is Parquet in the WRDS component shape.')
      }
      const missing = requiredColumns.filter((name) => !names.includes(name))
      if (missing.length > 0) throw this.missingColumns(missing)
      // Timestamps as "YYYY-MM-DD HH:MM:SS" (UTC), everything else as text, as in the CSV export.
      const present = [...requiredColumns, ...optionalColumns.filter((name) => names.includes(name))]
      const columns = present.map((name) => `CAST("${name}" AS VARCHAR) AS ${name}`).join(', ')
      const result = await connection.runAndReadAll(`SELECT ${columns} FROM read_parquet(${file})`)
      for (const row of result.getRowObjectsJson()) yield row as ComponentRow
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  }
}
