import type {RunRecord, RunStatus} from '../run-record.js'
import {readJson, type Storage} from '../../storage/storage.js'
import {runRecordKey} from '../layout.js'
import {isMonitorAlive, readMonitorLease} from './monitor-lease.js'
import {listRunIds} from './select-run.js'

/** One line of `ftm runs`. */
export interface RunListing {
  runId: string
  status: RunStatus
  /** Recorded as running but its `ftm run` process on this machine is gone (`ftm status` tells whether workers remain). */
  monitorGone: boolean
  quarters: string[]
  firms: number
  partitions: number
  executor: string
  createdAt: string
  finishedAt?: string
  reason?: string
}

/** The runs under a root, newest first, from their run records. */
export async function listRuns(storage: Storage, options: {limit?: number} = {}): Promise<RunListing[]> {
  const ids = (await listRunIds(storage)).reverse().slice(0, options.limit ?? Number.POSITIVE_INFINITY)
  const listings: RunListing[] = []
  for (const runId of ids) {
    const record = await readJson<RunRecord>(storage, runRecordKey(runId)).catch(() => undefined)
    if (!record) continue
    const monitorGone = record.status === 'running' && isMonitorAlive(await readMonitorLease(storage, runId)) === false
    listings.push({
      runId,
      status: record.status,
      monitorGone,
      quarters: record.plan.map((quarter) => quarter.quarter),
      firms: record.plan.reduce((sum, quarter) => sum + quarter.firms, 0),
      partitions: record.plan.reduce((sum, quarter) => sum + quarter.partitions, 0),
      executor: record.executor.name,
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
      reason: record.reason,
    })
  }
  return listings
}
