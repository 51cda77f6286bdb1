import {spawn} from 'node:child_process'
import {mkdirSync, openSync, closeSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {cliInvocation} from '../cli-invocation.js'
import type {RunRecord} from '../run-record.js'
import type {Storage} from '../../storage/storage.js'
import {type MonitorLease, monitorLeaseKey} from './monitor-lease.js'
import {writeJson} from '../../storage/storage.js'

/** The key of a detached run's monitor output. */
export function monitorLogKey(runId: string): string {
  return `runs/${runId}/logs/monitor.log`
}

/**
 * Starts `ftm run --resume <id>` as a detached process (its own session and process group, output to
 * runs/<id>/logs/monitor.log) that feeds the executor's queue and keeps the run record, so the CLI can return at
 * once and the workers outlive it. Records the new process as the run's monitor before returning.
 */
export async function spawnDetachedMonitor(storage: Storage, record: RunRecord, environment: NodeJS.ProcessEnv, options: {retryFailed?: {kinds?: string[]}} = {}): Promise<MonitorLease> {
  const key = monitorLogKey(record.id)
  const logFile = storage.localPath(key) ?? path.join(os.tmpdir(), 'ftm-logs', ...key.split('/'))
  mkdirSync(path.dirname(logFile), {recursive: true})
  const output = openSync(logFile, 'a')
  const retry = options.retryFailed ? ['--retry-failed', ...(options.retryFailed.kinds ?? []).flatMap((kind) => ['--retry-kind', kind])] : []
  const command = cliInvocation(['run', '--resume', record.id, '--root', record.root, ...retry])
  try {
    const child = spawn(command.file, command.arguments, {detached: true, stdio: ['ignore', output, output], env: environment, cwd: process.cwd()})
    child.unref()
    const lease: MonitorLease = {host: os.hostname(), pid: child.pid ?? -1, startedAt: new Date().toISOString(), detached: true, logFile}
    await writeJson(storage, monitorLeaseKey(record.id), lease)
    return lease
  } finally {
    closeSync(output)
  }
}
