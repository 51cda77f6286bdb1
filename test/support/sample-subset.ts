import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {stringify} from 'csv-stringify/sync'
import {sampleTranscripts} from './cli.js'

/** A fresh temporary folder for one test. */
export function temporaryFolder(prefix = 'ftm-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

/**
 * Writes a CSV with the calls of the first `firms` firms (by id) of the bundled sample, in the given quarters,
 * so integration tests run real calls at a size that keeps them quick. Returns the file and the firm ids.
 */
export function sampleSubset(options: {firms: number; quarters?: string[]; folder?: string}): {file: string; firmIds: string[]} {
  const rows = parse(readFileSync(sampleTranscripts), {columns: true}) as Record<string, string>[]
  const inQuarter = (row: Record<string, string>): boolean => {
    if (!options.quarters) return true
    const date = new Date(`${row.mostimportantdateutc!.replace(' ', 'T')}Z`)
    return options.quarters.includes(`${date.getUTCFullYear()}Q${Math.floor(date.getUTCMonth() / 3) + 1}`)
  }
  const firmIds = [...new Set(rows.filter(inQuarter).map((row) => row.companyid!))].sort((a, b) => Number(a) - Number(b)).slice(0, options.firms)
  const kept = rows.filter((row) => inQuarter(row) && firmIds.includes(row.companyid!))
  const file = path.join(options.folder ?? temporaryFolder(), 'transcripts.csv')
  writeFileSync(file, stringify(kept, {header: true, columns: Object.keys(rows[0]!)}))
  return {file, firmIds}
}
