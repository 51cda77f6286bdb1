import type {DockerSettings} from './docker-settings.js'
import {DockerClient} from './docker-client.js'
import {listWorkerContainers, removeContainers, type WorkerContainer} from './orphans.js'
import {type PreflightCheck, runPreflight} from './preflight.js'

export interface Diagnosis {
  ok: boolean
  checks: PreflightCheck[]
  gpus?: string[]
  /** ftm's worker containers on the engine, orphans marked. */
  containers: WorkerContainer[]
  /** Names of the orphans removed (with clean). */
  removed: string[]
}

/** `ftm doctor`: the preflight checks, then ftm's worker containers on the engine; with `clean`, orphans are removed. */
export async function diagnose(settings: DockerSettings, options: {clean?: boolean; environment?: NodeJS.ProcessEnv} = {}): Promise<Diagnosis> {
  const client = DockerClient.connect({host: settings.host, sshKey: settings.sshKey, environment: options.environment})
  const report = await runPreflight(client, settings)
  if (report.checks[0]?.status !== 'ok') return {ok: false, checks: report.checks, containers: [], removed: []}
  const containers = await listWorkerContainers(client)
  const orphans = containers.filter((container) => container.orphan)
  const removed = options.clean ? await removeContainers(client, orphans, settings.stopTimeout) : []
  return {ok: report.ok, checks: report.checks, gpus: report.gpus, containers: options.clean ? containers.filter((container) => !container.orphan) : containers, removed}
}
