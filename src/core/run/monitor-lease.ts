import {hostname} from 'node:os'
import {UserError} from '../../base/errors.js'
import {latestClaim, numberedClaimKey, takeClaim} from '../../storage/numbered-claims.js'
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

/** The folder of a run's monitor claims: one create-if-absent object per monitor that ever took the run. */
export function monitorClaimsPrefix(runId: string): string {
  return `runs/${runId}/monitor/claim-`
}

/**
 * Makes this process the run's monitor, atomically: it takes the next claim number with a create-if-absent write,
 * so of two `ftm run --resume` started at the same moment exactly one proceeds. The other, and any process that
 * finds the latest claim's monitor alive, gets a user error (exit 2) naming that monitor's pid and host. Keeps what
 * `--detach` wrote about this process when it started it.
 */
export async function claimMonitorLease(storage: Storage, runId: string): Promise<MonitorLease> {
  const generation = (await refuseLiveMonitor(storage, runId)) + 1
  const previous = await readMonitorLease(storage, runId)
  const spawnedForIt = previous !== undefined && isThisProcess(previous)
  const lease: MonitorLease = {host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), detached: spawnedForIt && previous.detached, logFile: spawnedForIt ? previous.logFile : undefined}
  if (!(await takeClaim(storage, monitorClaimsPrefix(runId), generation, lease))) {
    const winner = await readJson<MonitorLease>(storage, numberedClaimKey(monitorClaimsPrefix(runId), generation))
    throw monitorBusy(runId, winner)
  }
  await writeJson(storage, monitorLeaseKey(runId), lease)
  return lease
}

/**
 * Fails with a user error (exit 2) naming the monitor when the run's latest claim belongs to another process that is
 * alive; returns that claim's number (-1 without one). Monitors on another host cannot be checked: they are trusted
 * to be gone, as before claims existed.
 */
export async function refuseLiveMonitor(storage: Storage, runId: string): Promise<number> {
  const latest = await latestClaim<MonitorLease>(storage, monitorClaimsPrefix(runId))
  if (!latest) return -1
  if (latest.value && !isThisProcess(latest.value) && isMonitorAlive(latest.value)) throw monitorBusy(runId, latest.value)
  return latest.generation
}

/** The run's monitor lease, if one was ever written. */
export async function readMonitorLease(storage: Storage, runId: string): Promise<MonitorLease | undefined> {
  return readJson<MonitorLease>(storage, monitorLeaseKey(runId)).catch(() => undefined)
}

/** True / false when the monitor's liveness can be told from here (same host); undefined otherwise or without a lease. */
export function isMonitorAlive(lease: MonitorLease | undefined): boolean | undefined {
  return lease ? isRecordedProcessAlive(lease) : undefined
}

function isThisProcess(lease: MonitorLease): boolean {
  return lease.host === hostname() && lease.pid === process.pid
}

function monitorBusy(runId: string, monitor: MonitorLease | undefined): UserError {
  const who = monitor ? `process ${monitor.pid} on ${monitor.host} (since ${monitor.startedAt})` : 'another process'
  return new UserError(
    `Run ${runId} is already being run by ${who}.`,
    `Watch it with \`ftm status ${runId}\`, or stop it with \`ftm cancel ${runId}\` before resuming.`,
  )
}
