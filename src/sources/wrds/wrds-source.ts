import type pg from 'pg'
import type {DatabaseSourceSettings} from '../source-schema.js'
import {compareFirmIds, type FirmRef} from '../firm-ref.js'
import type {Quarter} from '../../base/quarter.js'
import type {FirmTranscript, SourceScope, TranscriptSource} from '../transcript-source.js'
import {resolveCredentials} from './credentials.js'
import {explainDatabaseError, isTransientDatabaseError} from './database-errors.js'
import {firmCallQuery, firmsQuery, quarterFingerprintQuery, quarterRange} from './transcript-queries.js'

/** Attempts per query when the connection fails transiently, with doubling waits from one second. */
const attempts = 4

interface CallRow {
  firm_id: string
  firm_name: string
  transcript_id: string
  call_date: string
  component_order: number
  speaker_type: string
  component_text: string
  component_type: string
}

/** Transcripts from WRDS's Capital IQ tables (or a PostgreSQL database of the same shape), one query per firm-quarter. */
export class WrdsSource implements TranscriptSource {
  private pool?: Promise<pg.Pool>

  constructor(
    private readonly settings: DatabaseSourceSettings,
    private readonly scope: SourceScope = {},
    private readonly environment: NodeJS.ProcessEnv = process.env,
    /** Waits between retries; tests make it instant. */
    private readonly sleep: (milliseconds: number) => Promise<void> = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
  ) {}

  async listFirms(quarter: Quarter): Promise<FirmRef[]> {
    const rows = await this.query<{firm_id: string; firm_name: string}>(firmsQuery(this.settings.schema), quarterRange(quarter))
    return rows
      .filter((row) => !this.scope.firmIds || this.scope.firmIds.has(row.firm_id))
      .map((row) => ({id: row.firm_id, name: row.firm_name ?? ''}))
      .sort((a, b) => compareFirmIds(a.id, b.id))
  }

  /** Per quarter: the count of earnings-call transcripts and the highest transcript id (what a resume compares). */
  async fingerprint(quarters: readonly Quarter[]): Promise<Record<Quarter, {transcripts: number; latestTranscriptId: string}>> {
    const result: Record<Quarter, {transcripts: number; latestTranscriptId: string}> = {}
    for (const quarter of quarters) {
      const [row] = await this.query<{transcripts: string; latest_transcript_id: string}>(quarterFingerprintQuery(this.settings.schema), quarterRange(quarter))
      result[quarter] = {transcripts: Number(row?.transcripts ?? 0), latestTranscriptId: row?.latest_transcript_id ?? '0'}
    }
    return result
  }

  async fetchFirm(firmId: string, quarter: Quarter): Promise<FirmTranscript | undefined> {
    if (!/^\d+$/.test(firmId)) return undefined
    const rows = await this.query<CallRow>(firmCallQuery(this.settings.schema), [firmId, ...quarterRange(quarter)])
    const first = rows[0]
    if (!first) return undefined
    return {
      firmId: first.firm_id,
      firmName: first.firm_name ?? '',
      transcriptId: first.transcript_id,
      callDate: first.call_date,
      components: rows.map((row) => ({
        componentOrder: Number(row.component_order),
        text: row.component_text,
        speakerType: row.speaker_type.trim(),
        ...(row.component_type.trim() ? {componentType: row.component_type.trim()} : {}),
      })),
    }
  }

  async close(): Promise<void> {
    const pool = await this.pool?.catch(() => undefined)
    this.pool = undefined
    await pool?.end()
  }

  /** Where the source points, for messages: host, port and database, never a credential. */
  get where(): string {
    return `${this.settings.host ?? this.environment.PGHOST ?? 'localhost'}:${this.settings.port ?? this.environment.PGPORT ?? 5432}/${this.settings.database ?? this.environment.PGDATABASE ?? ''}`
  }

  private async query<Row extends object>(sql: string, parameters: string[]): Promise<Row[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await (await this.connect()).query<Row>(sql, parameters)).rows
      } catch (error) {
        if (attempt >= attempts || !isTransientDatabaseError(error)) throw explainDatabaseError(error, this.where, this.settings.schema)
        await this.sleep(1000 * 2 ** (attempt - 1))
      }
    }
  }

  private connect(): Promise<pg.Pool> {
    this.pool ??= this.createPool()
    return this.pool
  }

  private async createPool(): Promise<pg.Pool> {
    const credentials = await resolveCredentials(this.settings, this.environment)
    const ssl = this.settings.sslmode === 'disable' ? false : this.settings.sslmode === 'verify-full' ? {rejectUnauthorized: true} : {rejectUnauthorized: false}
    // Loaded here so that file sources never load the PostgreSQL client.
    const {default: postgres} = await import('pg')
    const pool = new postgres.Pool({
      host: this.settings.host,
      port: this.settings.port,
      database: this.settings.database,
      user: credentials.user,
      password: credentials.password,
      ssl,
      max: this.settings.pool,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 20_000,
      application_name: 'ftm',
      // Call dates are formatted by the server; UTC keeps a timestamptz column from shifting to the server's zone.
      options: '-c TimeZone=UTC',
    })
    // An idle connection that the server drops must not crash the worker; the next query reconnects.
    pool.on('error', () => {})
    return pool
  }
}
