import {hostname} from 'node:os'
import {readJson, type Storage, writeJson} from '../../storage/storage.js'
import {isRecordedProcessAlive} from './process-liveness.js'

/** Which `ftm run` process watches a run (and feeds its queue): `runs/<id>/monitor.json`. */
export interface MonitorLease {
  host: string
  pid: number
  startedAt: string
  /** Started by `ftm run --detach`, its output in `logFile`. */
  detached: boolean
  logFile?: string
}

/** Where a run's monitor lease is kept. */
export function monitorLeaseKey(runId: string): string {
  return `runs/${runId}/monitor.json`
}

/** Records this process as the run's monitor (keeping what `--detach` wrote when it started this process). */
export async function claimMonitorLease(storage: Storage, runId: string): Promise<MonitorLease> {
  const previous = await readMonitorLease(storage, runId)
  const spawnedForIt = previous?.host === hostname() && previous.pid === process.pid
  const lease: MonitorLease = {host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), detached: spawnedForIt && previous.detached, logFile: spawnedForIt ? previous.logFile : undefined}
  await writeJson(storage, monitorLeaseKey(runId), lease)
  return lease
}

/** The run's monitor lease, if one was ever written. */
export async function readMonitorLease(storage: Storage, runId: string): Promise<MonitorLease | undefined> {
  return readJson<MonitorLease>(storage, monitorLeaseKey(runId)).catch(() => undefined)
}

/** True / false when the monitor's liveness can be told from here (same host); undefined otherwise or without a lease. */
export function isMonitorAlive(lease: MonitorLease | undefined): boolean | undefined {
  return lease ? isRecordedProcessAlive(lease) : undefined
}
