import {UserError} from '../core/errors.js'
import {compareFirmIds, type FirmRef} from '../core/partition.js'
import {type Quarter, quarterOfDate} from '../core/quarter.js'
import {requiredColumns} from './csv-source.js'
import type {FirmTranscript, SourceScope, TranscriptSource} from './transcript-source.js'

/** One component row in the WRDS shape, every value as text. */
export type ComponentRow = Partial<Record<(typeof requiredColumns)[number], string>>

/**
 * Transcripts from any file of component rows (Parquet, JSONL): rows are grouped into calls, calls into
 * firm-quarters by call date, and a firm with several calls in a quarter gets its latest, as the CSV source does.
 */
export abstract class ComponentRowsSource implements TranscriptSource {
  private loaded?: Promise<Map<Quarter, Map<string, FirmTranscript[]>>>

  constructor(
    protected readonly file: string,
    private readonly scope: SourceScope = {},
  ) {}

  /** The file's rows; a missing column is a UserError naming it. */
  protected abstract rows(): AsyncIterable<ComponentRow>

  async listQuarters(): Promise<Quarter[]> {
    return [...(await this.load()).keys()].sort()
  }

  async listFirms(quarter: Quarter): Promise<FirmRef[]> {
    const firms = (await this.load()).get(quarter) ?? new Map<string, FirmTranscript[]>()
    return [...firms.values()].map((calls) => ({id: calls[0]!.firmId, name: calls[0]!.firmName})).sort((a, b) => compareFirmIds(a.id, b.id))
  }

  async fetchFirm(firmId: string, quarter: Quarter): Promise<FirmTranscript | undefined> {
    const calls = (await this.load()).get(quarter)?.get(firmId)
    return calls ? latestCall(calls) : undefined
  }

  async close(): Promise<void> {
    this.loaded = undefined
  }

  /** The UserError for a file that lacks columns of the WRDS component shape. */
  protected missingColumns(missing: string[]): UserError {
    return new UserError(
      `The source file ${this.file} lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
      `A transcripts file needs the WRDS component columns: ${requiredColumns.join(', ')}.`,
    )
  }

  private load(): Promise<Map<Quarter, Map<string, FirmTranscript[]>>> {
    this.loaded ??= this.read()
    return this.loaded
  }

  private async read(): Promise<Map<Quarter, Map<string, FirmTranscript[]>>> {
    const byQuarter = new Map<Quarter, Map<string, FirmTranscript[]>>()
    const calls = new Map<string, FirmTranscript>()
    for await (const row of this.rows()) {
      const firmId = row.companyid?.trim()
      const transcriptId = row.transcriptid?.trim()
      const componentOrder = Number(row.componentorder)
      const date = parseCallDate(row.mostimportantdateutc)
      // Rows without a firm, call, date or whole component number cannot be placed, as in the CSV source.
      if (!firmId || !transcriptId || !date || !Number.isInteger(componentOrder)) continue
      if (this.scope.firmIds && !this.scope.firmIds.has(firmId)) continue
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
      // A repeated component (an export that joined a table twice) keeps its first row.
      if (call.components.some((component) => component.componentOrder === componentOrder)) continue
      call.components.push({componentOrder, text: row.componenttext ?? '', speakerType: row.speakertypename?.trim() ?? ''})
    }
    for (const call of calls.values()) call.components.sort((a, b) => a.componentOrder - b.componentOrder)
    return byQuarter
  }
}

function latestCall(calls: FirmTranscript[]): FirmTranscript {
  return calls.reduce((best, call) =>
    call.callDate > best.callDate || (call.callDate === best.callDate && compareFirmIds(call.transcriptId, best.transcriptId) > 0) ? call : best,
  )
}

/** Call dates as WRDS writes them ("2024-01-15 14:00:00", UTC) or ISO strings. */
function parseCallDate(text: string | undefined): Date | undefined {
  if (!text) return undefined
  const trimmed = text.trim()
  const normalized = /^\d{4}-\d{2}-\d{2} \d/.test(trimmed) && !/[zZ]|[+-]\d{2}(:?\d{2})?$/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed
  const date = new Date(normalized)
  return Number.isNaN(date.getTime()) ? undefined : date
}
