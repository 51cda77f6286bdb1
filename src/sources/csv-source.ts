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
    const parser = createReadStream(this.file).pipe(
      parse({columns: (header: string[]) => this.checkHeader(header), bom: true, skip_empty_lines: true, relax_column_count: true}),
    )
    try {
      for await (const row of parser as AsyncIterable<Row>) {
        const firmId = row.companyid?.trim()
        if (!firmId || (this.scope.firmIds && !this.scope.firmIds.has(firmId))) continue
        const date = parseCallDate(row.mostimportantdateutc)
        if (!date) continue
        const quarter = quarterOfDate(date)
        if (this.scope.quarters && !this.scope.quarters.has(quarter)) continue
        const transcriptId = row.transcriptid.trim()
        let call = calls.get(transcriptId)
        if (!call) {
          call = {firmId, firmName: row.companyname?.trim() ?? '', transcriptId, callDate: date.toISOString(), components: []}
          calls.set(transcriptId, call)
          const firms = byQuarter.get(quarter) ?? new Map<string, FirmTranscript[]>()
          byQuarter.set(quarter, firms)
          firms.set(firmId, [...(firms.get(firmId) ?? []), call])
        }
        call.components.push({
          componentOrder: Number(row.componentorder),
          text: row.componenttext ?? '',
          speakerType: row.speakertypename?.trim() ?? '',
        })
      }
    } catch (error) {
      if (error instanceof UserError) throw error
      throw new UserError(`The source file ${this.file} is not a readable CSV: ${(error as Error).message}`, 'Check the file is a CSV in the WRDS component shape.', {cause: error})
    }
    for (const call of calls.values()) call.components.sort((a, b) => a.componentOrder - b.componentOrder)
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
