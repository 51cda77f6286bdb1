import type {Config} from '../config/schema.js'
import type {PartitionJob} from '../executor.js'
import type {Manifest} from '../manifest.js'
import {ftmVersion} from '../package-root.js'
import {newRunId} from '../run-id.js'
import {type RunRecord, type RunStatus, runRecordLocation} from '../run-record.js'
import {openSource} from '../../sources/open-source.js'
import type {TranscriptSource} from '../../sources/transcript-source.js'
import type {Storage} from '../../storage/storage.js'
import {writesPartitionInputs} from './partition-inputs.js'
import {planRun} from './plan-run.js'
import {fingerprintSource} from './source-fingerprint.js'

export interface PlanRecordOptions {
  config: Config
  storage: Storage
  executorName: string
  status: RunStatus
  now?: Date
  onWarning?: (message: string) => void
  /** The source to plan from, opened by the caller (who closes it); else the config's source, opened and closed here. */
  source?: TranscriptSource
}

/** Plans a new run in memory: its record and its partitions' manifests. Nothing is written. */
export async function planRecord(options: PlanRecordOptions): Promise<{record: RunRecord; manifests: Manifest[]}> {
  const {config, storage} = options
  const now = options.now ?? new Date()
  const runId = newRunId(now)
  const source = options.source ?? openPlanningSource(config, options.onWarning)
  const plan = await planRun(runId, config, source).finally(() => (options.source ? undefined : source.close()))
  const record: RunRecord = {
    version: 1,
    id: runId,
    status: options.status,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ftmVersion,
    root: storage.uri,
    source: config.source!,
    sourceFingerprint: await fingerprintSource(config.source!, plan.quarters.map((entry) => entry.quarter)),
    // File sources: createRun writes each partition's input before the record; workers read those, never the source.
    ...(writesPartitionInputs(config.source!) ? {partitionInputs: true} : {}),
    plan: plan.quarters,
    config,
    executor: {name: options.executorName, parallel: config.parallel},
    jobs: [],
  }
  return {record, manifests: plan.manifests}
}

/** The run's source as the planner reads it: only the quarters asked for. */
export function openPlanningSource(config: Config, onWarning?: (message: string) => void): TranscriptSource {
  return openSource(config.source, {quarters: config.quarters ? new Set(config.quarters) : undefined, onWarning, encoding: config.sourceEncoding})
}

/** The partitions of a recorded run as jobs for its executor. */
export function partitionJobs(storage: Storage, record: RunRecord): PartitionJob[] {
  return record.plan.flatMap((quarter) =>
    Array.from({length: quarter.partitions}, (_, partition) => ({runId: record.id, quarter: quarter.quarter, partition, runRecordLocation: runRecordLocation(storage, record.id)})),
  )
}
