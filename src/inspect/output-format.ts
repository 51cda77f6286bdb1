import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {closestMatch} from '../base/closest-match.js'
import {UserError} from '../base/errors.js'

/** The formats query results can be written in. */
export const outputFormats = ['table', 'csv', 'json', 'parquet'] as const
export type OutputFormat = (typeof outputFormats)[number]

const byExtension: Record<string, OutputFormat> = {'.csv': 'csv', '.json': 'json', '.parquet': 'parquet', '.txt': 'table'}

/**
 * The format asked for, else the one the output file's extension names, else a table. Parquet needs a file; an
 * output file whose extension names no format we write (k.xlsx) is refused rather than filled with a text table.
 */
export function resolveOutputFormat(format: string | undefined, output: string | undefined): OutputFormat {
  const chosen = (format as OutputFormat | undefined) ?? (output ? formatOfFile(output) : 'table')
  if (chosen === 'parquet' && !output) {
    throw new UserError('Parquet output needs a file.', 'Add --output results.parquet (Parquet is binary; it cannot go to the terminal).')
  }
  return chosen
}

function formatOfFile(output: string): OutputFormat {
  const extension = path.extname(output).toLowerCase()
  const format = byExtension[extension]
  if (format) return format
  const known = Object.keys(byExtension)
  const named = extension ? `"${extension}"` : 'no extension'
  throw new UserError(
    `ftm cannot write ${output}: its name has ${named}, and ftm writes ${known.join(', ')}.`,
    `Did you mean ${path.basename(output, extension)}${closestMatch(extension, known)}? Or name the format with --format (${outputFormats.join(', ')}).`,
  )
}

/** Makes the folder of an output file, so `--output new/folder/rows.csv` just works; returns the absolute path. */
export function prepareOutputFile(file: string): string {
  const absolute = path.resolve(file)
  mkdirSync(path.dirname(absolute), {recursive: true})
  return absolute
}
