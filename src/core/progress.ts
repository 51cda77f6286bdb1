import {progressKey, progressPrefix} from './layout.js'
import type {Quarter} from '../base/quarter.js'
import {readJson, type Storage, writeJson} from '../storage/storage.js'

export type PartitionPhase = 'starting' | 'running' | 'done' | 'stopped' | 'tripped' | 'failed'

/** What a worker reports about its partition as it goes (`runs/<id>/progress/<quarter>/part-00000.json`). */
export interface PartitionProgress {
  runId: string
  quarter: Quarter
  partition: number
  phase: PartitionPhase
  /** Firms in the partition. */
  firmsTotal: number
  /** Firms committed by earlier attempts, skipped by this one. */
  firmsResumed: number
  /** Firms this attempt finished (ok or failed), committed or not. */
  firmsProcessed: number
  /** Firms this attempt finished that failed. */
  firmsFailed: number
  /** Firms committed in total, all attempts together. */
  firmsCommitted: number
  chunksCommitted: number
  startedAt: string
  updatedAt: string
  /** Firms per second over this attempt. */
  rate: number
  attempt: number
  /** The worker's host and process id, to find (or kill) it. */
  host: string
  pid: number
  exitCode?: number
  /** Why the worker stopped, when it did not finish. */
  reason?: string
  /** Topics this attempt labelled, by where the label came from (llm, or keywords when no LLM answered). */
  topicsLabeled?: {llm: number; keywords: number}
}

/** Writes a partition's progress. */
export async function writeProgress(storage: Storage, progress: PartitionProgress): Promise<void> {
  await writeJson(storage, progressKey(progress.runId, progress.quarter, progress.partition), progress)
}

/** Reads a partition's progress, or undefined before its worker started. */
export async function readProgress(storage: Storage, runId: string, quarter: Quarter, partition: number): Promise<PartitionProgress | undefined> {
  return readJson<PartitionProgress>(storage, progressKey(runId, quarter, partition)).catch(() => undefined)
}

/** Reads every progress file of a run. */
export async function readRunProgress(storage: Storage, runId: string): Promise<PartitionProgress[]> {
  const keys = await storage.list(progressPrefix(runId))
  const all = await Promise.all(keys.map((key) => readJson<PartitionProgress>(storage, key).catch(() => undefined)))
  return all.filter((progress): progress is PartitionProgress => progress !== undefined)
}

/** Seconds left at the current rate, or undefined when the rate is unknown. */
export function estimateSecondsLeft(progress: PartitionProgress): number | undefined {
  const left = progress.firmsTotal - progress.firmsResumed - progress.firmsProcessed
  if (left <= 0) return 0
  return progress.rate > 0 ? left / progress.rate : undefined
}
