import {hostname} from 'node:os'
import {errorMessage, isUserError} from '../core/errors.js'
import {ExitCode} from '../core/exit-codes.js'
import {readManifest} from '../core/manifest.js'
import type {FirmRef} from '../core/partition.js'
import {readProgress} from '../core/progress.js'
import {readRunRecord, type RunRecord} from '../core/run-record.js'
import {openSource} from '../sources/open-source.js'
import type {TranscriptSource} from '../sources/transcript-source.js'
import {openStorage} from '../storage/open-storage.js'
import type {Storage} from '../storage/storage.js'
import {PartitionCheckpoints} from './checkpoints.js'
import {CircuitBreaker} from './circuit-breaker.js'
import {createEmbedder} from './embedding/create-embedder.js'
import type {Embedder} from './embedding/embedder.js'
import {FirmError} from './firm-error.js'
import {modelFirm} from './model-firm.js'
import {failedFirmRows, type FirmContext, modeledFirmRows} from './output/firm-rows.js'
import {ParquetWriter} from './output/parquet-writer.js'
import {emptyRows, type TableRows} from './output/table-columns.js'
import {ProgressReporter} from './progress-reporter.js'
import {readWorkerContract, type WorkerContract} from './worker-contract.js'

export interface WorkerOptions {
  environment: NodeJS.ProcessEnv
  /** Aborted on SIGTERM/SIGINT or a Spot notice: commit what is finished and stop. */
  signal: AbortSignal
  log: (line: string) => void
}

/** Runs one partition: skips what earlier attempts committed, models each firm, commits chunks; returns the exit code. */
export async function runWorker(options: WorkerOptions): Promise<number> {
  let contract: WorkerContract
  let storage: Storage
  let record: RunRecord
  try {
    contract = readWorkerContract(options.environment)
    storage = openStorage(contract.root)
    record = await readRunRecord(storage, contract.runId)
  } catch (error) {
    options.log(`ftm worker: ${errorMessage(error)}${isUserError(error) ? ` ${error.hint}` : ''}`)
    return isUserError(error) ? ExitCode.usage : ExitCode.transient
  }
  const manifest = await readManifest(storage, contract.runId, contract.quarter, contract.partition)
  if (!manifest) {
    options.log(`ftm worker: run ${contract.runId} has no manifest for ${contract.quarter} partition ${contract.partition}.`)
    return ExitCode.usage
  }
  const previous = await readProgress(storage, contract.runId, contract.quarter, contract.partition)
  const writer = await ParquetWriter.open()
  const checkpoints = new PartitionCheckpoints(storage, writer, contract.runId, contract.quarter, contract.partition)
  let source: TranscriptSource | undefined
  try {
    const recovered = await checkpoints.recover()
    const remaining = manifest.firms.filter((firm) => !recovered.committedFirms.has(firm.id))
    const startedAt = new Date().toISOString()
    const reporter = new ProgressReporter(storage, {
      runId: contract.runId,
      quarter: contract.quarter,
      partition: contract.partition,
      phase: 'starting',
      firmsTotal: manifest.firms.length,
      firmsResumed: manifest.firms.length - remaining.length,
      firmsProcessed: 0,
      firmsFailed: 0,
      firmsCommitted: manifest.firms.length - remaining.length,
      chunksCommitted: recovered.chunksCommitted,
      startedAt,
      updatedAt: startedAt,
      rate: 0,
      attempt: (previous?.attempt ?? 0) + 1,
      host: hostname(),
      pid: process.pid,
    })
    options.log(
      `ftm worker: run ${contract.runId} ${contract.quarter} partition ${contract.partition}: ${remaining.length} of ${manifest.firms.length} firms to do (attempt ${reporter.progress.attempt})`,
    )
    await reporter.phase('running')
    source = openSource(record.source, {quarters: new Set([contract.quarter]), firmIds: new Set(remaining.map((firm) => firm.id))})
    const embedder = remaining.length > 0 ? await createEmbedder(record.config.pipeline.embedding) : undefined
    const outcome = await processFirms({record, contract, remaining, source, embedder, checkpoints, reporter, options})
    await reporter.phase(outcome.phase, {exitCode: outcome.exitCode, reason: outcome.reason})
    options.log(`ftm worker: ${outcome.phase}${outcome.reason ? `: ${outcome.reason}` : ''}`)
    return outcome.exitCode
  } catch (error) {
    options.log(`ftm worker: ${isUserError(error) ? `${error.message} ${error.hint}` : (error as Error).stack ?? errorMessage(error)}`)
    return isUserError(error) ? ExitCode.usage : ExitCode.failed
  } finally {
    await source?.close()
    await writer.close()
  }
}

interface FirmLoop {
  record: RunRecord
  contract: WorkerContract
  remaining: FirmRef[]
  source: TranscriptSource
  embedder?: Embedder
  checkpoints: PartitionCheckpoints
  reporter: ProgressReporter
  options: WorkerOptions
}

interface LoopOutcome {
  phase: 'done' | 'stopped' | 'tripped'
  exitCode: number
  reason?: string
}

async function processFirms(loop: FirmLoop): Promise<LoopOutcome> {
  const {record, contract, checkpoints, reporter, options} = loop
  const breaker = new CircuitBreaker(record.config.worker)
  let pending: TableRows = emptyRows()
  const commit = async (): Promise<void> => {
    const firms = pending.firms.length
    if (firms === 0) return
    await checkpoints.commit(pending)
    pending = emptyRows()
    await reporter.committed(firms)
  }
  for (const firm of loop.remaining) {
    if (options.signal.aborted) break
    const context: FirmContext = {
      runId: contract.runId,
      quarter: contract.quarter,
      partition: contract.partition,
      firmId: firm.id,
      firmName: firm.name,
      attempt: reporter.progress.attempt,
    }
    const rows = await processFirm(loop, context)
    if (!rows) break // stopped by a signal mid-firm: the firm is redone by the next attempt
    for (const table of ['firms', 'topics', 'sentences'] as const) pending[table].push(...rows.table[table])
    await reporter.firmFinished(rows.failure !== undefined)
    if (breaker.record(rows.failure)) {
      await commit()
      return {phase: 'tripped', exitCode: ExitCode.breakerTripped, reason: breaker.reason}
    }
    if (pending.firms.length >= record.config.worker.checkpointInterval) await commit()
  }
  await commit()
  if (options.signal.aborted) return {phase: 'stopped', exitCode: ExitCode.terminated, reason: 'stopped by a signal after committing its checkpoint'}
  return {phase: 'done', exitCode: ExitCode.ok}
}

async function processFirm(loop: FirmLoop, context: FirmContext): Promise<{table: TableRows; failure?: {kind: string; message: string}} | undefined> {
  const start = performance.now()
  const elapsed = (): number => Math.round(performance.now() - start)
  let transcript
  let fetchMs: number | undefined
  try {
    transcript = await loop.source.fetchFirm(context.firmId, context.quarter)
    fetchMs = elapsed()
    if (!transcript) throw new FirmError('no_transcript', `no earnings call for firm ${context.firmId} in ${context.quarter}`)
    const model = await modelFirm(transcript, loop.record.config.pipeline, loop.embedder!, loop.options.signal)
    const totalMs = elapsed()
    loop.options.log(`firm ${context.firmId} ok: ${model.sentences.length} sentences, ${model.topics.length} topics, ${totalMs} ms`)
    return {table: modeledFirmRows(context, transcript, model, fetchMs, totalMs)}
  } catch (error) {
    if (loop.options.signal.aborted) return undefined
    const failure = error instanceof FirmError ? {kind: error.kind, message: error.message} : {kind: 'model_error', message: errorMessage(error)}
    loop.options.log(`firm ${context.firmId} failed: ${failure.kind}: ${failure.message}`)
    return {table: failedFirmRows(context, failure, {transcript, fetchMs, totalMs: elapsed()}), failure}
  }
}
