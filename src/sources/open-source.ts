import {UserError} from '../core/errors.js'
import {CsvSource} from './csv-source.js'
import type {SourceScope, TranscriptSource} from './transcript-source.js'

/** Opens the transcript source a config value names. */
export function openSource(source: string | undefined, scope: SourceScope = {}): TranscriptSource {
  if (!source) {
    throw new UserError('No transcript source is configured.', 'Pass --source path/to/transcripts.csv (try fixtures/sample/transcripts.csv).')
  }
  if (/\.csv$/i.test(source)) return new CsvSource(source, scope)
  throw new UserError(`ftm cannot read the source ${source}.`, 'Give a .csv file in the WRDS component shape.')
}
