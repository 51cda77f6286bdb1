import type {Config} from './config/schema.js'
import type {JobHandle} from './executor.js'
import type {SourceFingerprint} from './run/source-fingerprint.js'
import {runRecordKey} from './layout.js'
import type {Quarter} from '../base/quarter.js'
import {readJson, type Storage, writeJson} from '../storage/storage.js'
import {UserError} from '../base/errors.js'

export type RunStatus = 'planned' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** A quarter of a run: how many firms and partitions it has. */
export interface QuarterPlan {
  quarter: Quarter
  firms: number
  partitions: number
}

/**
 * The run record (`runs/<id>/run.json`): everything a worker needs except secrets, and what any machine needs to
 * report on, resume or cancel the run.
 */
export interface RunRecord {
  version: 1
  id: string
  status: RunStatus
  createdAt: string
  updatedAt: string
  finishedAt?: string
  ftmVersion: string
  /** The storage root, as an absolute path or URI. */
  root: string
  source: string
  /** The source file as it was when the run was planned; a resume stops when it changed. */
  sourceFingerprint?: SourceFingerprint
  plan: QuarterPlan[]
  config: Config
  executor: {name: string; parallel: number}
  jobs: JobHandle[]
  /** Why the run ended as it did, when it did not succeed. */
  reason?: string
}

/** Reads a run record; a missing one is a user error naming the run and the root. */
export async function readRunRecord(storage: Storage, runId: string): Promise<RunRecord> {
  const record = await readJson<RunRecord>(storage, runRecordKey(runId))
  if (!record) {
    throw new UserError(`There is no run ${runId} under ${storage.uri}.`, 'Check the run id and --root; `ftm runs` lists the runs there.')
  }
  return record
}

/** Writes a run record, stamping its update time. */
export async function writeRunRecord(storage: Storage, record: RunRecord, now: Date = new Date()): Promise<void> {
  record.updatedAt = now.toISOString()
  await writeJson(storage, runRecordKey(record.id), record)
}

/** The location a worker is given in FTM_RUN: the run record's path or URI. */
export function runRecordLocation(storage: Storage, runId: string): string {
  const key = runRecordKey(runId)
  return storage.localPath(key) ?? `${storage.uri.replace(/\/$/, '')}/${key}`
}

/** Splits a run record location into the storage root and the run id. */
export function parseRunRecordLocation(location: string): {root: string; runId: string} {
  const match = /^(.*?)[/\\]?runs[/\\]([^/\\]+)[/\\]run\.json$/.exec(location)
  if (!match) {
    throw new UserError(
      `FTM_RUN="${location}" does not point at a run record.`,
      'Set FTM_RUN to <root>/runs/<run-id>/run.json; the executors set it for you.',
    )
  }
  return {root: match[1] || '.', runId: match[2]!}
}
