import {tableFolder} from '../../core/layout.js'
import type {Quarter} from '../../base/quarter.js'
import type {ThemeTableName} from '../output/theme-tables.js'

/** The one file of a reduce table for a quarter of a run; rewriting it replaces it atomically. */
export function themeKey(table: ThemeTableName, quarter: Quarter, runId: string): string {
  return `${tableFolder(table, quarter, runId)}${table}.parquet`
}
