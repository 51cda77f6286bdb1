import {createReadStream, existsSync} from 'node:fs'
import {parse} from 'csv-parse'
import {explainEdgeError} from '../base/edge-errors.js'
import {UserError} from '../base/errors.js'
import {type ComponentRow, ComponentRowsSource, requiredColumns} from './component-rows-source.js'
import type {SourceScope} from './transcript-source.js'

export {requiredColumns} from './component-rows-source.js'

/** The largest CSV record read; a larger one (a runaway quote, a corrupt file) is skipped and reported. */
const maxRecordCharacters = 16 * 1024 * 1024

/** Transcripts from a CSV file in the WRDS component shape; quarters come from the call date. */
export class CsvSource extends ComponentRowsSource {
  constructor(file: string, scope: SourceScope = {}) {
    super(file, scope)
    if (!existsSync(file)) {
      throw new UserError(
        `The source file ${file} does not exist.`,
        'Pass --source with the path of a transcripts CSV (the bundled sample is fixtures/sample/transcripts.csv).',
      )
    }
  }

  protected async *rows(): AsyncIterable<ComponentRow> {
    const input = createReadStream(this.file)
    const parser = input.pipe(
      parse({
        columns: (header: string[]) => this.checkHeader(header),
        bom: true,
        encoding: this.scope.encoding ?? 'utf8', // with utf8, bytes that are not UTF-8 become U+FFFD (counted and reported)
        skip_empty_lines: true,
        relax_column_count: true,
        skip_records_with_error: true,
        max_record_size: maxRecordCharacters,
        info: true,
        on_skip: (error) => {
          this.problems.add('malformed', error ? `line ${error.lines}: ${error.message}` : 'a malformed record')
          return undefined
        },
      }),
    )
    input.on('error', (error) => parser.destroy(error)) // pipe() does not forward a read error (EISDIR, EACCES)
    try {
      for await (const {record, info} of parser as AsyncIterable<{record: ComponentRow; info: {lines: number}}>) yield {...record, line: info.lines}
    } catch (error) {
      if (error instanceof UserError) throw error
      const explained = explainEdgeError(error, {action: 'read the source', location: this.file})
      if (explained) throw explained
      throw new UserError(`The source file ${this.file} is not a readable CSV: ${(error as Error).message}`, 'Check the file is a CSV in the WRDS component shape.', {cause: error})
    }
  }

  private checkHeader(header: string[]): string[] {
    const columns = header.map((name) => name.trim().toLowerCase())
    const missing = requiredColumns.filter((name) => !columns.includes(name))
    if (missing.length > 0) throw this.missingColumns(missing)
    return columns
  }
}
