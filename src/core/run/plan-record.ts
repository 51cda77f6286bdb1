import type {Config} from '../config/schema.js'
import type {PartitionJob} from '../executor.js'
import type {Manifest} from '../manifest.js'
import {ftmVersion} from '../package-root.js'
import {newRunId} from '../run-id.js'
import {type RunRecord, type RunStatus, runRecordLocation} from '../run-record.js'
import {openSource} from '../../sources/open-source.js'
import type {Storage} from '../../storage/storage.js'
import {planRun} from './plan-run.js'
import {fingerprintSource} from './source-fingerprint.js'

export interface PlanRecordOptions {
  config: Config
  storage: Storage
  executorName: string
  status: RunStatus
  now?: Date
  onWarning?: (message: string) => void
}

/** Plans a new run in memory: its record and its partitions' manifests. Nothing is written. */
export async function planRecord(options: PlanRecordOptions): Promise<{record: RunRecord; manifests: Manifest[]}> {
  const {config, storage} = options
  const now = options.now ?? new Date()
  const runId = newRunId(now)
  const source = openSource(config.source, {quarters: config.quarters ? new Set(config.quarters) : undefined, onWarning: options.onWarning, encoding: config.sourceEncoding})
  const plan = await planRun(runId, config, source).finally(() => source.close())
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
    plan: plan.quarters,
    config,
    executor: {name: options.executorName, parallel: config.parallel},
    jobs: [],
  }
  return {record, manifests: plan.manifests}
}

/** The partitions of a recorded run as jobs for its executor. */
export function partitionJobs(storage: Storage, record: RunRecord): PartitionJob[] {
  return record.plan.flatMap((quarter) =>
    Array.from({length: quarter.partitions}, (_, partition) => ({runId: record.id, quarter: quarter.quarter, partition, runRecordLocation: runRecordLocation(storage, record.id)})),
  )
}
