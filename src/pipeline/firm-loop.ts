import type {WorkerContract} from '../core/worker-contract.js'
import {errorMessage, isUserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'
import type {FirmRef} from '../sources/firm-ref.js'
import {withRetry} from '../core/retry.js'
import type {RunRecord} from '../core/run-record.js'
import type {FirmTranscript, TranscriptSource} from '../sources/transcript-source.js'
import type {PartitionCheckpoints} from './checkpoints.js'
import {CircuitBreaker} from './circuit-breaker.js'
import type {Embedder} from './embedding/embedder.js'
import {FirmError} from './firm-error.js'
import {type MeasureContext, measureFirm, type TimedMeasures} from './measures/firm-measures.js'
import {type FirmModel, modelFirm} from './model-firm.js'
import type {TopicNamer} from './naming/topic-namer.js'
import {failedFirmRows, type FirmContext, modeledFirmRows} from './output/firm-rows.js'
import {emptyRows, type TableRows} from './output/table-columns.js'
import type {ProgressReporter} from './progress-reporter.js'
import {commitWithRetry} from './storage-failures.js'

/** Everything the firm loop of one partition needs. */
export interface FirmLoop {
  record: RunRecord
  contract: WorkerContract
  remaining: FirmRef[]
  source: TranscriptSource
  embedder?: Embedder
  /** The lexicons and taxonomy of the research measures; undefined when they are off. */
  measures?: MeasureContext
  /** Names topics through the LLM; undefined when none is configured (keyword labels stay). */
  namer?: TopicNamer
  checkpoints: PartitionCheckpoints
  reporter: ProgressReporter
  /** Aborted by SIGTERM/SIGINT or a Spot notice: commit what is finished and stop. */
  signal: AbortSignal
  log: (line: string) => void
}

/** How the loop ended. */
export interface LoopOutcome {
  phase: 'done' | 'stopped' | 'tripped'
  exitCode: number
  reason?: string
}

interface FirmOutcome {
  rows: TableRows
  failure?: {kind: string; message: string}
}

/** A firm modeled and waiting for its topic names. */
interface ModeledFirm {
  context: FirmContext
  transcript: FirmTranscript
  model: FirmModel
  measures?: TimedMeasures
  fetchMs: number
  /** Milliseconds from the firm's start to the end of modeling. */
  modelMs: number
}

/** A firm's names being fetched. */
interface Naming {
  /** Waits for the names: the firm's outcome, or undefined when a stop interrupted the naming. */
  wait: () => Promise<FirmOutcome | undefined>
  /** Settles when the naming is over, whatever its result. */
  settled: Promise<unknown>
}

/** How long the firm being named may still get its names after a stop, so that it commits instead of being redone. */
const namingGraceMs = 5000

/**
 * Models the remaining firms in order, committing a chunk every checkpointInterval firms, on a stop and on a trip.
 * A firm's LLM naming runs while the next firm is modeled (one naming in flight at a time), so at a typical LLM
 * latency the loop rarely waits for names; firms still finish, count and commit in order.
 */
export async function processFirms(loop: FirmLoop): Promise<LoopOutcome> {
  const {record, contract, checkpoints, reporter} = loop
  const breaker = new CircuitBreaker(record.config.worker)
  let pending: TableRows = emptyRows()
  const commit = async (): Promise<void> => {
    const firms = pending.firms.length
    if (firms === 0) return
    await commitWithRetry(() => checkpoints.commit(pending), record.config.worker, loop.log)
    pending = emptyRows()
    await reporter.committed(firms)
  }
  /** Adds a finished firm to the chunk; true when the breaker tripped on it. */
  const finish = async (outcome: FirmOutcome): Promise<boolean> => {
    for (const table of ['firms', 'topics', 'sentences'] as const) pending[table].push(...outcome.rows[table])
    await reporter.firmFinished(outcome.failure !== undefined, outcome.rows.topics.map((topic) => topic.label_source))
    if (breaker.record(outcome.failure)) return true
    if (pending.firms.length >= record.config.worker.checkpointInterval) await commit()
    return false
  }
  let naming: Naming | undefined
  /** Finishes the firm being named, if any. */
  const finishNaming = async (): Promise<'ok' | 'stopped' | 'tripped'> => {
    if (!naming) return 'ok'
    const outcome = await naming.wait()
    naming = undefined
    if (!outcome) return 'stopped'
    return (await finish(outcome)) ? 'tripped' : 'ok'
  }
  const tripped = async (): Promise<LoopOutcome> => {
    await commit()
    return {phase: 'tripped', exitCode: ExitCode.breakerTripped, reason: breaker.reason}
  }
  // Naming has its own signal: after a stop, the firm being named gets namingGraceMs to finish and commit.
  const namingStop = new AbortController()
  let grace: NodeJS.Timeout | undefined
  const onStop = (): void => {
    grace = setTimeout(() => namingStop.abort(loop.signal.reason), namingGraceMs)
  }
  loop.signal.addEventListener('abort', onStop, {once: true})
  try {
    for (const firm of loop.remaining) {
      if (loop.signal.aborted) break
      const context: FirmContext = {
        runId: contract.runId,
        quarter: contract.quarter,
        partition: contract.partition,
        firmId: firm.id,
        firmName: firm.name,
        attempt: reporter.progress.attempt,
      }
      const modeled = await modelOneFirm(loop, context)
      const previous = await finishNaming()
      if (previous === 'tripped') return tripped() // this firm is redone by the next attempt
      if (previous === 'stopped' || !modeled) break // stopped mid-firm: the firm is redone by the next attempt
      if ('rows' in modeled) {
        if (await finish(modeled)) return tripped()
      } else {
        naming = nameFirm(loop, modeled, namingStop.signal)
      }
    }
    if ((await finishNaming()) === 'tripped') return tripped()
    await commit()
  } finally {
    loop.signal.removeEventListener('abort', onStop)
    clearTimeout(grace)
    namingStop.abort() // a naming left in flight by an error must not outlive the loop
    await naming?.settled
  }
  if (loop.signal.aborted) return {phase: 'stopped', exitCode: ExitCode.terminated, reason: 'stopped by a signal after committing its checkpoint'}
  return {phase: 'done', exitCode: ExitCode.ok}
}

/** The research measures of a modeled firm, with the milliseconds they took (measures_ms). */
function timedMeasures(transcript: FirmTranscript, model: FirmModel, context: MeasureContext): TimedMeasures {
  const start = performance.now()
  const measures = measureFirm(transcript, model, context)
  return {...measures, ms: Math.round(performance.now() - start)}
}

/** Fetches and models one firm; a failure becomes the firm's row. Undefined when a stop interrupted it. */
async function modelOneFirm(loop: FirmLoop, context: FirmContext): Promise<FirmOutcome | ModeledFirm | undefined> {
  const start = performance.now()
  const elapsed = (): number => Math.round(performance.now() - start)
  let transcript: FirmTranscript | undefined
  let fetchMs: number | undefined
  try {
    transcript = await fetchTranscript(loop, context)
    fetchMs = elapsed()
    checkTranscript(transcript, loop.record.config.worker.maxCallCharacters)
    const model = await modelFirm(transcript, loop.record.config.pipeline, loop.embedder!, loop.signal)
    const measured = loop.measures ? timedMeasures(transcript, model, loop.measures) : undefined
    return {context, transcript, model, measures: measured, fetchMs, modelMs: elapsed()}
  } catch (error) {
    return failedFirm(loop, context, error, {transcript, fetchMs, totalMs: elapsed()})
  }
}

/**
 * Starts naming a modeled firm's topics. label_ms and total_ms count only the time the loop waits for the names
 * after modeling the next firm, so the total_ms of a partition add up to its wall time.
 */
function nameFirm(loop: FirmLoop, firm: ModeledFirm, signal: AbortSignal): Naming {
  const {context, transcript, model, measures, fetchMs, modelMs} = firm
  const naming = loop.namer?.nameTopics(model, transcript.firmName || context.firmName, signal)
  // Handled by wait(); meanwhile a failure must not count as an unhandled rejection.
  const settled = naming?.catch(() => {}) ?? Promise.resolve()
  const wait = async (): Promise<FirmOutcome | undefined> => {
    const waitStart = performance.now()
    const waited = (): number => Math.round(performance.now() - waitStart)
    try {
      await naming
      const waitMs = waited()
      model.timings.label += waitMs
      const totalMs = modelMs + waitMs
      const rows = modeledFirmRows(context, transcript, model, fetchMs, totalMs, measures)
      loop.log(`firm ${context.firmId} ok: ${model.sentences.length} sentences, ${model.topics.length} topics, ${totalMs} ms`)
      return {rows}
    } catch (error) {
      return failedFirm(loop, context, error, {transcript, fetchMs, totalMs: modelMs + waited()})
    }
  }
  return {wait, settled}
}

/** A firm's failure as its row; undefined when a stop caused it. A per-run problem (a UserError) is rethrown. */
function failedFirm(loop: FirmLoop, context: FirmContext, error: unknown, details: Parameters<typeof failedFirmRows>[2]): FirmOutcome | undefined {
  if (loop.signal.aborted) return undefined
  if (isUserError(error)) throw error // e.g. the source file's columns: stops the partition
  const failure = error instanceof FirmError ? {kind: error.kind, message: error.message} : {kind: 'model_error', message: errorMessage(error)}
  loop.log(`firm ${context.firmId} failed: ${failure.kind}: ${failure.message}`)
  return {rows: failedFirmRows(context, failure, details), failure}
}

/** The firm's call, with transient source errors retried; a firm without a call fails as no_transcript. */
async function fetchTranscript(loop: FirmLoop, context: FirmContext): Promise<FirmTranscript> {
  const {retryAttempts, retryBaseMs} = loop.record.config.worker
  let transcript: FirmTranscript | undefined
  try {
    transcript = await withRetry(() => loop.source.fetchFirm(context.firmId, context.quarter), {
      attempts: retryAttempts,
      baseDelayMs: retryBaseMs,
      signal: loop.signal,
      onRetry: (error, attempt, delay) => loop.log(`firm ${context.firmId}: source error (${errorMessage(error)}), try ${attempt + 1} in ${delay} ms`),
    })
  } catch (error) {
    if (isUserError(error) || loop.signal.aborted) throw error
    throw new FirmError('source_error', `the source failed for this firm: ${errorMessage(error)}`, {cause: error})
  }
  if (!transcript) throw new FirmError('no_transcript', `no earnings call for firm ${context.firmId} in ${context.quarter}`)
  return transcript
}

/** Rejects calls that cannot be modeled before any work is spent on them. */
export function checkTranscript(transcript: FirmTranscript, maxCharacters: number): void {
  const characters = transcript.components.reduce((sum, component) => sum + component.text.length, 0)
  if (transcript.components.every((component) => component.text.trim() === '')) {
    throw new FirmError('bad_transcript', `call ${transcript.transcriptId} has no text in any of its ${transcript.components.length} components`)
  }
  if (characters > maxCharacters) {
    throw new FirmError(
      'bad_transcript',
      `call ${transcript.transcriptId} has ${characters} characters of text, more than worker.maxCallCharacters = ${maxCharacters}`,
    )
  }
}
