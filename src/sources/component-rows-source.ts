import {UserError} from '../base/errors.js'
import {compareFirmIds, type FirmRef} from './firm-ref.js'
import {type Quarter, quarterOfDate} from '../base/quarter.js'
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

/** Columns read when the file has them: WRDS's component type (Presenter Speech, Question, Answer, ...). */
export const optionalColumns = ['transcriptcomponenttypename'] as const

/** One component row in the WRDS shape, every value as text, with where it is in the file when known. */
export type ComponentRow = Partial<Record<(typeof requiredColumns)[number] | (typeof optionalColumns)[number], string>> & {line?: number}

/**
 * Transcripts from any file of component rows (CSV, Parquet, JSONL): rows are grouped into calls, calls into
 * firm-quarters by call date, and a firm with several calls in a quarter gets its latest (then the highest
 * transcript id). Rows that cannot be placed and repeated components are skipped and reported as a warning.
 */
export abstract class ComponentRowsSource implements TranscriptSource {
  private loaded?: Promise<Map<Quarter, Map<string, FirmTranscript[]>>>
  /** Skipped input, reported once the file is read. */
  protected readonly problems: ProblemTally

  constructor(
    protected readonly file: string,
    protected readonly scope: SourceScope = {},
  ) {
    this.problems = new ProblemTally(file)
  }

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
  protected missingColumns(missing: readonly string[]): UserError {
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
    const seenComponents = new Set<string>() // transcript id and component order of every kept row
    let rowCount = 0
    for await (const row of this.rows()) {
      rowCount++
      const firmId = row.companyid?.trim()
      if (this.scope.firmIds && (!firmId || !this.scope.firmIds.has(firmId))) continue
      const transcriptId = row.transcriptid?.trim()
      const componentOrder = Number(row.componentorder)
      const date = parseCallDate(row.mostimportantdateutc)
      const where = row.line === undefined ? '' : `line ${row.line}: `
      if (!firmId || !transcriptId || !date || !Number.isInteger(componentOrder)) {
        this.problems.add('malformed', `${where}${describeBadRow(row, date, componentOrder)}`)
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
      // A repeated component (an export that joined a table twice) keeps its first row.
      const componentKey = `${transcriptId}\u0000${componentOrder}`
      if (seenComponents.has(componentKey)) {
        this.problems.add('duplicate', `${where}transcript ${transcriptId} repeats component ${componentOrder}; the first is kept`)
        continue
      }
      seenComponents.add(componentKey)
      if (row.componenttext?.includes('\uFFFD')) this.problems.add('encoding', `${where}transcript ${transcriptId} component ${componentOrder}`)
      const componentType = row.transcriptcomponenttypename?.trim()
      call.components.push({componentOrder, text: row.componenttext ?? '', speakerType: row.speakertypename?.trim() ?? '', ...(componentType ? {componentType} : {})})
    }
    if (rowCount === 0) {
      throw new UserError(`The source ${this.file} has no rows.`, 'The file is empty or holds only a header: pass a transcripts file with component rows in the WRDS shape.')
    }
    for (const call of calls.values()) call.components.sort((a, b) => a.componentOrder - b.componentOrder)
    this.problems.report(this.scope.onWarning)
    return byQuarter
  }
}

type ProblemKind = 'malformed' | 'duplicate' | 'encoding'

const problemNouns: Record<ProblemKind, [one: string, many: string]> = {
  malformed: ['malformed row', 'malformed rows'],
  duplicate: ['duplicate component', 'duplicate components'],
  encoding: ['component with bytes that are not UTF-8', 'components with bytes that are not UTF-8'],
}

/** Counts skipped input by kind and reports a summary with the first few examples. */
export class ProblemTally {
  private readonly counts = new Map<ProblemKind, number>()
  /** The first few examples of skipped rows, and of rows with bytes that are not UTF-8. */
  private readonly examples = {skipped: [] as string[], encoding: [] as string[]}

  constructor(private readonly file: string) {}

  /** Counts one skipped row or component, or one with bytes that are not UTF-8. */
  add(kind: ProblemKind, example: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
    const examples = kind === 'encoding' ? this.examples.encoding : this.examples.skipped
    if (examples.length < 3) examples.push(example)
  }

  /** Tells the listener what was skipped, and what holds bytes that are not UTF-8, if anything. */
  report(onWarning: ((message: string) => void) | undefined): void {
    if (this.counts.size === 0 || !onWarning) return
    const plural = (kind: ProblemKind, count: number): string => `${count} ${problemNouns[kind][count === 1 ? 0 : 1]}`
    const skipped = [...this.counts].filter(([kind]) => kind !== 'encoding').map(([kind, count]) => plural(kind, count))
    const encoding = this.counts.get('encoding')
    const parts = [
      ...(skipped.length > 0 ? [`skipped ${skipped.join(', ')} (${this.examples.skipped.join('; ')})`] : []),
      ...(encoding ? [`${plural('encoding', encoding)}, read as \uFFFD (${this.examples.encoding.join('; ')}); if the file is Latin-1 (Windows-1252), pass --encoding latin1`] : []),
    ]
    onWarning(`${this.file}: ${parts.join('; ')}`)
  }
}

function describeBadRow(row: ComponentRow, date: Date | undefined, componentOrder: number): string {
  if (!row.companyid?.trim()) return 'no companyid'
  if (!row.transcriptid?.trim()) return 'no transcriptid'
  if (!date) return `mostimportantdateutc "${row.mostimportantdateutc ?? ''}" is not a date`
  return `componentorder "${row.componentorder ?? ''}" is not a whole number (${Number.isNaN(componentOrder) ? 'not a number' : componentOrder})`
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
