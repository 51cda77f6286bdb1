import type {LogFunction} from '../base/log-lines.js'
import {hostname} from 'node:os'
import {defaultMeasures} from '../core/config/measures-schema.js'
import {errorMessage, isUserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'
import {readManifest} from '../core/manifest.js'
import {readProgress} from '../core/progress.js'
import {withRetry} from '../core/retry.js'
import {readRunRecord, type RunRecord} from '../core/run-record.js'
import type {TranscriptSource} from '../sources/transcript-source.js'
import {openStorage} from '../storage/open-storage.js'
import type {Storage} from '../storage/storage.js'
import {PartitionCheckpoints} from './checkpoints.js'
import {createEmbedder} from './embedding/create-embedder.js'
import type {Embedder} from './embedding/embedder.js'
import {CriticalError} from './firm-error.js'
import {loadMeasures} from './measures/load-measures.js'
import {createTopicNamer} from './naming/create-namer.js'
import {processFirms} from './firm-loop.js'
import {ParquetWriter} from './output/parquet-writer.js'
import {ProgressReporter} from './progress-reporter.js'
import {shouldWatchSpot, watchSpotNotice} from './spot-notice.js'
import {classifyWorkerError} from './storage-failures.js'
import {readWorkerContract, type WorkerContract} from '../core/worker-contract.js'
import {partitionLeasePrefix} from '../core/layout.js'
import {defaultLeaseSettings, LeaseLostError, PartitionBusyError, type PartitionLease, takePartitionLease} from './partition-lease.js'
import {openWorkerSource} from './worker-source.js'

export interface WorkerOptions {
  environment: NodeJS.ProcessEnv
  /** Aborted on SIGTERM/SIGINT: commit what is finished and stop. */
  signal: AbortSignal
  /** Each message with its level (the worker command writes them with timestamps, as JSON lines off a terminal). */
  log: LogFunction
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
    options.log(`ftm worker: ${errorMessage(error)}${isUserError(error) ? ` ${error.hint}` : ''}`, 'error')
    return isUserError(error) ? error.exitCode : ExitCode.transient
  }
  const manifest = await readManifest(storage, contract.runId, contract.quarter, contract.partition)
  if (!manifest) {
    options.log(`ftm worker: run ${contract.runId} has no manifest for ${contract.quarter} partition ${contract.partition}.`, 'error')
    return ExitCode.usage
  }
  const lease = await leasePartition(storage, contract, record, options)
  if (typeof lease === 'number') return lease
  const previous = await readProgress(storage, contract.runId, contract.quarter, contract.partition)
  const writer = await ParquetWriter.open()
  const checkpoints = new PartitionCheckpoints(storage, writer, contract.runId, contract.quarter, contract.partition, () => lease.confirm())
  // One stop signal for SIGTERM/SIGINT, Spot notices and a lease found lost.
  const stop = new AbortController()
  const forwardStop = (): void => stop.abort()
  options.signal.addEventListener('abort', forwardStop, {once: true})
  if (options.signal.aborted) stop.abort()
  lease.keepRenewed(() => stop.abort(), options.log)
  let stopSpotWatch = (): void => {}
  let reporter: ProgressReporter | undefined
  let source: TranscriptSource | undefined
  try {
    const worker = record.config.worker
    const recovered = await withRetry(() => checkpoints.recover(), {attempts: worker.retryAttempts, baseDelayMs: worker.retryBaseMs})
    const remaining = manifest.firms.filter((firm) => !recovered.committedFirms.has(firm.id))
    const startedAt = new Date().toISOString()
    reporter = new ProgressReporter(storage, {
      runId: contract.runId,
      quarter: contract.quarter,
      partition: contract.partition,
      phase: 'starting',
      firmsTotal: manifest.firms.length,
      firmsResumed: manifest.firms.length - remaining.length,
      firmsProcessed: 0,
      // Failures committed by earlier attempts still count: a resumed partition reports all of its failed firms.
      firmsFailed: recovered.failedFirms,
      firmsCommitted: manifest.firms.length - remaining.length,
      chunksCommitted: recovered.chunksCommitted,
      startedAt,
      updatedAt: startedAt,
      rate: 0,
      attempt: (previous?.attempt ?? 0) + 1,
      host: hostname(),
      pid: process.pid,
    }, worker.progressIntervalSeconds * 1000)
    options.log(
      `ftm worker: run ${contract.runId} ${contract.quarter} partition ${contract.partition}: ${remaining.length} of ${manifest.firms.length} firms to do (attempt ${reporter.progress.attempt})`,
    )
    await reporter.phase('running')
    if (shouldWatchSpot(worker, options.environment)) {
      stopSpotWatch = watchSpotNotice({endpoint: worker.spotEndpoint, intervalMs: worker.spotPollSeconds * 1000, onNotice: () => stop.abort(), log: options.log})
    }
    const firmIds = remaining.map((firm) => firm.id)
    source = await withRetry(() => openWorkerSource({record, storage, contract, firmIds, log: options.log}), {attempts: worker.retryAttempts, baseDelayMs: worker.retryBaseMs})
    const embedder = remaining.length > 0 ? await loadEmbedder(record) : undefined
    // A run recorded before the measures existed keeps its tables as they were: no measures.
    const measures = embedder ? await loadMeasures(record.config.pipeline.measures ?? {...defaultMeasures, enabled: false}, embedder) : undefined
    const namer = remaining.length > 0 ? createTopicNamer(record.config.llm, {storage, environment: options.environment, log: options.log}) : undefined
    const outcome = await processFirms({record, contract, remaining, source, embedder, measures, namer, checkpoints, reporter, signal: stop.signal, log: options.log})
    lease.assertHeld()
    await reporter.phase(outcome.phase, {exitCode: outcome.exitCode, reason: outcome.reason})
    options.log(`ftm worker: ${outcome.phase}${outcome.reason ? `: ${outcome.reason}` : ''}`, outcome.exitCode === ExitCode.ok ? 'info' : outcome.exitCode === ExitCode.terminated ? 'warn' : 'error')
    return outcome.exitCode
  } catch (error) {
    if (error instanceof LeaseLostError) {
      options.log(`ftm worker: stopped: ${error.message}`)
      // Taken over: the progress file is the new holder's now.
      if (!error.takenOver) await reporter?.phase('failed', {exitCode: error.exitCode, reason: error.message}).catch(() => undefined)
      return error.exitCode
    }
    const outcome = classifyWorkerError(error)
    const reason = isUserError(error) ? `${error.message} ${error.hint}` : errorMessage(error)
    options.log(`ftm worker: ${outcome.phase}: ${outcome.exitCode === ExitCode.failed ? ((error as Error).stack ?? reason) : reason}`, outcome.exitCode === ExitCode.terminated ? 'warn' : 'error')
    await reporter?.phase(outcome.phase, {exitCode: outcome.exitCode, reason}).catch(() => undefined)
    return outcome.exitCode
  } finally {
    stopSpotWatch()
    options.signal.removeEventListener('abort', forwardStop)
    await source?.close()
    await writer.close()
    await lease.release().catch((error: unknown) => options.log(`ftm worker: could not release the partition lease (${errorMessage(error)}); it expires by itself`))
  }
}

/**
 * Takes the partition's lease before anything is read or cleaned, waiting for a live holder as configured; an exit
 * code instead when the partition stays held (4), the wait was stopped (143) or storage failed.
 */
async function leasePartition(storage: Storage, contract: WorkerContract, record: RunRecord, options: WorkerOptions): Promise<PartitionLease | number> {
  const settings = {...defaultLeaseSettings, ...record.config.worker}
  try {
    const lease = await takePartitionLease(storage, partitionLeasePrefix(contract.runId, contract.quarter, contract.partition), settings, {
      signal: options.signal,
      log: options.log,
      environment: options.environment,
    })
    if (lease) return lease
    options.log('ftm worker: stopped while waiting for the partition lease; nothing was done')
    return ExitCode.terminated
  } catch (error) {
    if (error instanceof PartitionBusyError) {
      options.log(`ftm worker: ${contract.quarter} partition ${contract.partition}: ${error.message}`)
      return error.exitCode
    }
    const outcome = classifyWorkerError(error)
    options.log(`ftm worker: could not take the partition lease: ${errorMessage(error)}`)
    return outcome.exitCode
  }
}

/** Loads the embedding model once; a model that cannot load is critical: no firm could be modeled. */
async function loadEmbedder(record: RunRecord): Promise<Embedder> {
  try {
    return await createEmbedder(record.config.pipeline.embedding)
  } catch (error) {
    const hint = isUserError(error) ? ` ${error.hint}` : ''
    throw new CriticalError(`the embedding model cannot load: ${errorMessage(error)}${hint}`, {cause: error})
  }
}
