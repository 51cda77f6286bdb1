import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
import {UserError} from '../base/errors.js'
import {type ComponentRow, ComponentRowsSource} from './component-rows-source.js'
import {optionalColumns, requiredColumns} from './component-rows-source.js'

/** Transcripts from a JSON Lines file: one component per line, an object with the WRDS component fields. */
export class JsonlSource extends ComponentRowsSource {
  protected async *rows(): AsyncIterable<ComponentRow> {
    let lineNumber = 0
    let checked = false
    for await (const line of createInterface({input: createReadStream(this.file), crlfDelay: Infinity})) {
      lineNumber++
      if (!line.trim()) continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (error) {
        throw new UserError(`Line ${lineNumber} of ${this.file} is not JSON: ${(error as Error).message}`, 'Write one JSON object per line.')
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new UserError(`Line ${lineNumber} of ${this.file} is not a JSON object.`, 'Write one JSON object per line.')
      }
      const record = Object.fromEntries(Object.entries(value).map(([name, field]) => [name.toLowerCase(), field]))
      if (!checked) {
        const missing = requiredColumns.filter((name) => !(name in record))
        if (missing.length > 0) throw this.missingColumns(missing)
        checked = true
      }
      yield Object.fromEntries([...requiredColumns, ...optionalColumns].map((name) => [name, record[name] === null || record[name] === undefined ? undefined : String(record[name])]))
    }
  }
}
