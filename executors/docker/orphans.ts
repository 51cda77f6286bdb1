import os from 'node:os'
import {type ContainerSummary, DockerClient} from './docker-client.js'
import {labelKeys} from './container-spec.js'

/** A worker container and whether the ftm process that started it is gone. */
export interface WorkerContainer extends ContainerSummary {
  runId: string
  /** True when its CLI ran on this machine and is no longer alive: nobody watches or removes it. */
  orphan: boolean
}

/** ftm's worker containers on an engine (optionally of one run), each marked orphan when its CLI has died. */
export async function listWorkerContainers(client: DockerClient, runId?: string): Promise<WorkerContainer[]> {
  const containers = await client.list([runId ? `${labelKeys.runId}=${runId}` : labelKeys.runId])
  return containers.map((container) => ({...container, runId: container.labels[labelKeys.runId] ?? '?', orphan: cliIsGone(container.labels)}))
}

/** Stops (giving workers time to commit) and removes containers; returns their names. */
export async function removeContainers(client: DockerClient, containers: ContainerSummary[], stopTimeout: number): Promise<string[]> {
  await Promise.all(
    containers.map(async (container) => {
      if (container.running) await client.stop(container.id, stopTimeout)
      await client.remove(container.id, true)
    }),
  )
  return containers.map((container) => container.name)
}

function cliIsGone(labels: Record<string, string>): boolean {
  if (labels[labelKeys.cliHost] !== os.hostname()) return false
  const pid = Number(labels[labelKeys.cliPid])
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
