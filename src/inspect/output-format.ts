import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../base/errors.js'

/** The formats query results can be written in. */
export const outputFormats = ['table', 'csv', 'json', 'parquet'] as const
export type OutputFormat = (typeof outputFormats)[number]

const byExtension: Record<string, OutputFormat> = {'.csv': 'csv', '.json': 'json', '.parquet': 'parquet', '.txt': 'table'}

/** The format asked for, else the one the output file's extension names, else a table. Parquet needs a file. */
export function resolveOutputFormat(format: string | undefined, output: string | undefined): OutputFormat {
  const chosen = (format as OutputFormat | undefined) ?? (output ? byExtension[path.extname(output).toLowerCase()] : undefined) ?? 'table'
  if (chosen === 'parquet' && !output) {
    throw new UserError('Parquet output needs a file.', 'Add --output results.parquet (Parquet is binary; it cannot go to the terminal).')
  }
  return chosen
}

/** Makes the folder of an output file, so `--output new/folder/rows.csv` just works; returns the absolute path. */
export function prepareOutputFile(file: string): string {
  const absolute = path.resolve(file)
  mkdirSync(path.dirname(absolute), {recursive: true})
  return absolute
}
