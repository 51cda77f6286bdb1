import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
import {explainEdgeError} from '../base/edge-errors.js'
import {UserError} from '../base/errors.js'
import {type ComponentRow, ComponentRowsSource} from './component-rows-source.js'
import {optionalColumns, requiredColumns} from './component-rows-source.js'

/**
 * Transcripts from a JSON Lines file: one component per line, an object with the WRDS component fields. A line that
 * is not a JSON object is skipped and reported with its line number, as the CSV source does with a malformed row.
 */
export class JsonlSource extends ComponentRowsSource {
  protected async *rows(): AsyncIterable<ComponentRow> {
    try {
      yield* this.records()
    } catch (error) {
      if (error instanceof UserError) throw error
      throw explainEdgeError(error, {action: 'read the source', location: this.file}) ?? error
    }
  }

  private async *records(): AsyncIterable<ComponentRow> {
    let lineNumber = 0
    let checked = false
    for await (const line of createInterface({input: createReadStream(this.file), crlfDelay: Infinity})) {
      lineNumber++
      if (!line.trim()) continue
      const value = parseObject(line)
      if (typeof value === 'string') {
        this.problems.add('malformed', `line ${lineNumber}: ${value}`)
        continue
      }
      const record = Object.fromEntries(Object.entries(value).map(([name, field]) => [name.toLowerCase(), field]))
      if (!checked) {
        const missing = requiredColumns.filter((name) => !(name in record))
        if (missing.length > 0) throw this.missingColumns(missing)
        checked = true
      }
      const row: ComponentRow = Object.fromEntries([...requiredColumns, ...optionalColumns].map((name) => [name, record[name] === null || record[name] === undefined ? undefined : String(record[name])]))
      yield {...row, line: lineNumber}
    }
  }
}

/** The JSON object on a line, or why the line is not one. */
function parseObject(line: string): Record<string, unknown> | string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return `not JSON (${(error as Error).message})`
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : 'not a JSON object'
}
