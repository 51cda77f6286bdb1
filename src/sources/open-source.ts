import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {explainEdgeError} from '../base/edge-errors.js'
import {UserError} from '../base/errors.js'
import {CsvSource} from './csv-source.js'
import {JsonlSource} from './jsonl-source.js'
import {ParquetSource} from './parquet-source.js'
import {RemoteFileSource} from './remote-file-source.js'
import type {SourceScope, TranscriptSource} from './transcript-source.js'
import {isDatabaseSource, parseDatabaseSource} from './wrds/source-uri.js'
import {WrdsSource} from './wrds/wrds-source.js'

/** Opens the transcript source a config value names. */
export function openSource(source: string | undefined, scope: SourceScope = {}): TranscriptSource {
  if (!source) {
    throw new UserError('No transcript source is configured.', 'Pass --source path/to/transcripts.csv (try fixtures/sample/transcripts.csv).')
  }
  if (isDatabaseSource(source)) return new WrdsSource(parseDatabaseSource(source), scope)
  const open = fileSourceOpener(source, scope)
  if (/^s3:\/\//i.test(source)) return new RemoteFileSource(source, open)
  if (!existsSync(source)) {
    throw new UserError(`The source file ${source} does not exist.`, 'Pass --source with the path of a transcripts file (the bundled sample is fixtures/sample/transcripts.csv), or wrds:// for WRDS.')
  }
  checkReadableFile(source)
  return open(source)
}

/** A local source must be a file ftm may read: a directory or an unreadable file is named with the fix. */
function checkReadableFile(source: string): void {
  if (statSync(source).isDirectory()) {
    throw new UserError(`The source ${source} is a directory, not a file.`, 'Pass --source with the transcripts file itself (a .csv, .parquet or .jsonl file inside it), not its folder.')
  }
  try {
    accessSync(source, constants.R_OK)
  } catch (error) {
    throw explainEdgeError(error, {action: 'read the source', location: source}) ?? error
  }
}

/** The file source for a name's extension: .csv, .parquet or .jsonl, all in the WRDS component shape. */
function fileSourceOpener(source: string, scope: SourceScope): (file: string) => TranscriptSource {
  if (/\.csv$/i.test(source)) return (file) => new CsvSource(file, scope)
  if (/\.parquet$/i.test(source)) return (file) => new ParquetSource(file, scope)
  if (/\.jsonl$/i.test(source)) return (file) => new JsonlSource(file, scope)
  throw new UserError(
    `ftm cannot read the source ${source}.`,
    'Give a .csv, .parquet or .jsonl file in the WRDS component shape (a path or s3://bucket/key), or wrds:// for WRDS itself.',
  )
}
