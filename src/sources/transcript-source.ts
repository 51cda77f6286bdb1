import type {FirmRef} from './firm-ref.js'
import type {Quarter} from '../base/quarter.js'

/** One speaker turn of an earnings call, in the WRDS Capital IQ component shape. */
export interface TranscriptComponent {
  componentOrder: number
  text: string
  /** WRDS speakertypename: Operator, Executives, Analysts, ... */
  speakerType: string
  /** WRDS transcriptcomponenttypename (Presenter Speech, Question, Answer, ...), where the source has it. */
  componentType?: string
}

/** A firm's earnings call in a quarter: the call chosen when the source has several versions. */
export interface FirmTranscript {
  firmId: string
  firmName: string
  transcriptId: string
  /** ISO date-time of the call. */
  callDate: string
  components: TranscriptComponent[]
}

/** Where transcripts come from: files now, WRDS later. */
export interface TranscriptSource {
  /** Quarters the source has calls in, where it can tell (files can; a database would need --quarters). */
  listQuarters?(): Promise<Quarter[]>
  /** Firms with an earnings call in a quarter. */
  listFirms(quarter: Quarter): Promise<FirmRef[]>
  /** A firm's call in a quarter, or undefined when it has none. */
  fetchFirm(firmId: string, quarter: Quarter): Promise<FirmTranscript | undefined>
  close(): Promise<void>
}

/** Limits what a source loads: a worker needs only its quarter and its partition's firms. */
export interface SourceScope {
  quarters?: ReadonlySet<Quarter>
  firmIds?: ReadonlySet<string>
  /** Told about input the source skipped (malformed rows, duplicate components), with where it is. */
  onWarning?: (message: string) => void
  /** How a text file's bytes are decoded (CSV): utf8 (the default) or latin1. */
  encoding?: SourceEncoding
}

/** Text encodings a source file may be read in. */
export type SourceEncoding = 'utf8' | 'latin1'
