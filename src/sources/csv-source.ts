import {createReadStream, existsSync} from 'node:fs'
import {parse} from 'csv-parse'
import {UserError} from '../core/errors.js'
import {compareFirmIds, type FirmRef} from '../core/partition.js'
import {type Quarter, quarterOfDate} from '../core/quarter.js'
import type {FirmTranscript, SourceScope, TranscriptSource} from './transcript-source.js'

/** The columns of the WRDS component shape that ftm reads. */
export const requiredColumns = [
  'companyid',
  'companyname',
  'transcriptid',
  'componentorder',
  'componenttext',
  'mostimportantdateutc',
  'speakertypename',
] as const

type Row = Record<(typeof requiredColumns)[number], string>

/** Transcripts from a CSV file in the WRDS component shape; quarters come from the call date. */
export class CsvSource implements TranscriptSource {
  private loaded?: Promise<Map<Quarter, Map<string, FirmTranscript[]>>>

  constructor(
    private readonly file: string,
    private readonly scope: SourceScope = {},
  ) {
    if (!existsSync(file)) {
      throw new UserError(
        `The source file ${file} does not exist.`,
        'Pass --source with the path of a transcripts CSV (the bundled sample is fixtures/sample/transcripts.csv).',
      )
    }
  }

  async listQuarters(): Promise<Quarter[]> {
    return [...(await this.load()).keys()].sort()
  }

  async listFirms(quarter: Quarter): Promise<FirmRef[]> {
    const firms = (await this.load()).get(quarter) ?? new Map()
    return [...firms.values()].map((calls) => ({id: calls[0]!.firmId, name: calls[0]!.firmName})).sort((a, b) => compareFirmIds(a.id, b.id))
  }

  async fetchFirm(firmId: string, quarter: Quarter): Promise<FirmTranscript | undefined> {
    const calls = (await this.load()).get(quarter)?.get(firmId)
    if (!calls) return undefined
    return latestCall(calls)
  }

  async close(): Promise<void> {
    this.loaded = undefined
  }

  private load(): Promise<Map<Quarter, Map<string, FirmTranscript[]>>> {
    this.loaded ??= this.read()
    return this.loaded
  }

  private async read(): Promise<Map<Quarter, Map<string, FirmTranscript[]>>> {
    const byQuarter = new Map<Quarter, Map<string, FirmTranscript[]>>()
    const calls = new Map<string, FirmTranscript>()
    const problems = new ProblemTally(this.file)
    const parser = createReadStream(this.file).pipe(
      parse({
        columns: (header: string[]) => this.checkHeader(header),
        bom: true,
        encoding: 'utf8', // bytes that are not UTF-8 become U+FFFD instead of failing the file
        skip_empty_lines: true,
        relax_column_count: true,
        skip_records_with_error: true,
        max_record_size: maxRecordCharacters,
        info: true,
        on_skip: (error) => {
          problems.add('malformed', error ? `line ${error.lines}: ${error.message}` : 'a malformed record')
          return undefined
        },
      }),
    )
    try {
      for await (const {record: row, info} of parser as AsyncIterable<{record: Row; info: {lines: number}}>) {
        const firmId = row.companyid?.trim()
        if (this.scope.firmIds && (!firmId || !this.scope.firmIds.has(firmId))) continue
        const date = parseCallDate(row.mostimportantdateutc)
        const componentOrder = Number(row.componentorder)
        const transcriptId = row.transcriptid?.trim()
        if (!firmId || !transcriptId || !date || !Number.isInteger(componentOrder)) {
          problems.add('malformed', `line ${info.lines}: ${describeBadRow(row, date, componentOrder)}`)
          continue
        }
        const quarter = quarterOfDate(date)
        if (this.scope.quarters && !this.scope.quarters.has(quarter)) continue
        let call = calls.get(transcriptId)
        if (!call) {
          call = {firmId, firmName: row.companyname?.trim() ?? '', transcriptId, callDate: date.toISOString(), components: []}
          calls.set(transcriptId, call)
          const firms = byQuarter.get(quarter) ?? new Map<string, FirmTranscript[]>()
          byQuarter.set(quarter, firms)
          firms.set(firmId, [...(firms.get(firmId) ?? []), call])
        }
        if (call.components.some((component) => component.componentOrder === componentOrder)) {
          problems.add('duplicate', `line ${info.lines}: transcript ${transcriptId} repeats component ${componentOrder}; the first is kept`)
          continue
        }
        call.components.push({componentOrder, text: row.componenttext ?? '', speakerType: row.speakertypename?.trim() ?? ''})
      }
    } catch (error) {
      if (error instanceof UserError) throw error
      throw new UserError(`The source file ${this.file} is not a readable CSV: ${(error as Error).message}`, 'Check the file is a CSV in the WRDS component shape.', {cause: error})
    }
    for (const call of calls.values()) call.components.sort((a, b) => a.componentOrder - b.componentOrder)
    problems.report(this.scope.onWarning)
    return byQuarter
  }

  private checkHeader(header: string[]): string[] {
    const columns = header.map((name) => name.trim().toLowerCase())
    const missing = requiredColumns.filter((name) => !columns.includes(name))
    if (missing.length > 0) {
      throw new UserError(
        `The source file ${this.file} lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
        `A transcripts CSV needs the WRDS component columns: ${requiredColumns.join(', ')}.`,
      )
    }
    return columns
  }
}

/** The largest CSV record read; a larger one (a runaway quote, a corrupt file) is skipped and reported. */
const maxRecordCharacters = 16 * 1024 * 1024

/** Counts skipped input by kind and reports a summary with the first few examples. */
class ProblemTally {
  private readonly counts = new Map<string, number>()
  private readonly examples: string[] = []

  constructor(private readonly file: string) {}

  add(kind: 'malformed' | 'duplicate', example: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
    if (this.examples.length < 3) this.examples.push(example)
  }

  report(onWarning: ((message: string) => void) | undefined): void {
    if (this.counts.size === 0 || !onWarning) return
    const noun = (kind: string, count: number): string => `${kind === 'malformed' ? 'malformed row' : 'duplicate component'}${count === 1 ? '' : 's'}`
    const summary = [...this.counts].map(([kind, count]) => `${count} ${noun(kind, count)}`).join(', ')
    onWarning(`${this.file}: skipped ${summary} (${this.examples.join('; ')})`)
  }
}

function describeBadRow(row: Partial<Row>, date: Date | undefined, componentOrder: number): string {
  if (!row.companyid?.trim()) return 'no companyid'
  if (!row.transcriptid?.trim()) return 'no transcriptid'
  if (!date) return `mostimportantdateutc "${row.mostimportantdateutc ?? ''}" is not a date`
  return `componentorder "${row.componentorder ?? ''}" is not a whole number (${Number.isNaN(componentOrder) ? 'not a number' : componentOrder})`
}

/** The call to use when a firm has several in a quarter: the latest, then the highest transcript id. */
function latestCall(calls: FirmTranscript[]): FirmTranscript {
  return calls.reduce((best, call) =>
    call.callDate > best.callDate || (call.callDate === best.callDate && compareFirmIds(call.transcriptId, best.transcriptId) > 0) ? call : best,
  )
}

function parseCallDate(text: string | undefined): Date | undefined {
  if (!text) return undefined
  const normalized = /^\d{4}-\d{2}-\d{2} \d/.test(text.trim()) ? `${text.trim().replace(' ', 'T')}Z` : text.trim()
  const date = new Date(normalized)
  return Number.isNaN(date.getTime()) ? undefined : date
}
