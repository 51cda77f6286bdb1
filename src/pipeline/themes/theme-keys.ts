import type {Quarter} from '../../core/quarter.js'
import type {ThemeTableName} from '../output/theme-tables.js'

/** The folder of a reduce table for a quarter of a run. */
export function themeFolder(table: ThemeTableName, quarter: Quarter, runId: string): string {
  return `${table}/quarter=${quarter}/run=${runId}/`
}

/** The one file of a reduce table for a quarter of a run; rewriting it replaces it atomically. */
export function themeKey(table: ThemeTableName, quarter: Quarter, runId: string): string {
  return `${themeFolder(table, quarter, runId)}${table}.parquet`
}
