import {readFileSync} from 'node:fs'
import Docker from 'dockerode'
import {errorMessage, UserError} from '../../src/base/errors.js'
import {splitLogFrames} from './log-frames.js'

/** Which Docker engine to talk to: the local socket, or one reached over SSH. */
export interface DockerTarget {
  /** `ssh://user@host[:port]`; empty or undefined: the local engine (DOCKER_HOST or the default socket). */
  host?: string
  /** A private key file for SSH; otherwise the agent in SSH_AUTH_SOCK. */
  sshKey?: string
  environment?: NodeJS.ProcessEnv
}

/** What the executors need to know about a container. */
export interface ContainerSummary {
  id: string
  name: string
  state: string
  running: boolean
  exitCode?: number
  oomKilled?: boolean
  labels: Record<string, string>
}

export type ContainerSpec = Docker.ContainerCreateOptions

/** One progress line of a build, push or import, as the engine reports it. */
export interface EngineProgress {
  line?: string
  error?: string
}

/** Where ssh:// hosts are parsed into connection settings; exported for tests. */
export function parseSshHost(host: string): {username: string; host: string; port: number} {
  let url: URL
  try {
    url = new URL(host)
  } catch {
    throw new UserError(`--host ${host} is not a Docker host address.`, 'Write it as ssh://user@host or ssh://user@host:port.')
  }
  if (url.protocol !== 'ssh:' || !url.hostname || !url.username) {
    throw new UserError(`--host ${host} is not an ssh://user@host address.`, 'Write it as ssh://user@host (e.g. ssh://ubuntu@ec2-1-2-3-4.compute.amazonaws.com).')
  }
  return {username: decodeURIComponent(url.username), host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 22}
}

/** The one Docker client of ftm: local and ec2 executors, image commands and doctor all go through it. */
export class DockerClient {
  private constructor(
    readonly docker: Docker,
    /** The engine in words, for messages. */
    readonly where: string,
  ) {}

  /** Connects (lazily) to the local engine or to one over SSH. */
  static connect(target: DockerTarget = {}): DockerClient {
    const environment = target.environment ?? process.env
    if (!target.host) return new DockerClient(new Docker(), environment.DOCKER_HOST ? `the Docker engine at ${environment.DOCKER_HOST}` : 'the local Docker engine')
    const ssh = parseSshHost(target.host)
    const sshOptions: Record<string, unknown> = {readyTimeout: 20_000}
    if (target.sshKey) {
      try {
        sshOptions.privateKey = readFileSync(target.sshKey)
      } catch (error) {
        throw new UserError(`The SSH key ${target.sshKey} cannot be read: ${errorMessage(error)}.`, 'Pass --set docker.sshKey=<path to the private key>, or leave it empty to use the SSH agent.')
      }
    } else if (environment.SSH_AUTH_SOCK) {
      sshOptions.agent = environment.SSH_AUTH_SOCK
    } else {
      throw new UserError(`No SSH key for ${target.host}: docker.sshKey is empty and no SSH agent is running.`, 'Start ssh-agent and ssh-add your key, or pass --set docker.sshKey=~/.ssh/id_ed25519.')
    }
    silenceSshUrlWarning()
    const docker = new Docker({protocol: 'ssh', host: ssh.host, port: ssh.port, username: ssh.username, sshOptions} as Docker.DockerOptions)
    return new DockerClient(docker, `the Docker engine on ${ssh.username}@${ssh.host}`)
  }

  /** Fails with a UserError that says how to fix it when the engine cannot be reached. */
  async ping(): Promise<void> {
    try {
      await this.docker.ping()
    } catch (error) {
      throw new UserError(
        `Docker is not reachable: ${this.where} answered ${describeEngineError(error)}.`,
        this.where.includes('@')
          ? 'Check that you can `ssh` to the host, that Docker runs there and that the SSH user may use it (member of the docker group).'
          : 'Start Docker (e.g. `sudo systemctl start docker`, or `dockerd &`), and make sure you may use its socket (the docker group).',
        {cause: error},
      )
    }
  }

  /** The engine's runtimes and version. */
  async info(): Promise<{runtimes: string[]; serverVersion: string}> {
    const info = (await this.docker.info()) as {Runtimes?: Record<string, unknown>; ServerVersion?: string; CDISpecDirs?: string[]}
    const runtimes = Object.keys(info.Runtimes ?? {})
    return {runtimes, serverVersion: info.ServerVersion ?? '?'}
  }

  /** True when the engine has the image. */
  async hasImage(name: string): Promise<boolean> {
    try {
      await this.docker.getImage(name).inspect()
      return true
    } catch (error) {
      if (statusOf(error) === 404) return false
      throw error
    }
  }

  /** Creates a container and returns its id. */
  async create(spec: ContainerSpec): Promise<string> {
    return (await this.docker.createContainer(spec)).id
  }

  async start(id: string): Promise<void> {
    await this.docker.getContainer(id).start()
  }

  /** A container's state; undefined when it does not exist. */
  async inspect(id: string): Promise<ContainerSummary | undefined> {
    try {
      const info = await this.docker.getContainer(id).inspect()
      return {
        id: info.Id,
        name: info.Name.replace(/^\//, ''),
        state: info.State.Status,
        running: info.State.Running,
        exitCode: info.State.Running ? undefined : info.State.ExitCode,
        oomKilled: info.State.OOMKilled,
        labels: info.Config.Labels ?? {},
      }
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw error
    }
  }

  /** The raw inspection, for tests and doctor. */
  async inspectRaw(id: string): Promise<Docker.ContainerInspectInfo> {
    return this.docker.getContainer(id).inspect()
  }

  /** Sends SIGTERM, then SIGKILL after `timeoutSeconds`; a stopped or missing container is not an error (304, 404). */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({t: timeoutSeconds})
    } catch (error) {
      if (statusOf(error) === 304 || statusOf(error) === 404) return
      throw error
    }
  }

  /** Removes a container; a missing one (or one already being removed) is not an error. */
  async remove(id: string, force = false): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({force, v: true})
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 409) return
      throw error
    }
  }

  /** Waits for a container to exit; returns its exit code. */
  async wait(id: string): Promise<number> {
    const result = (await this.docker.getContainer(id).wait()) as {StatusCode: number}
    return result.StatusCode
  }

  /** A container's output (stdout and stderr demultiplexed), line by line; `follow` streams until it exits. */
  async *logLines(id: string, options: {follow?: boolean} = {}): AsyncIterable<string> {
    const container = this.docker.getContainer(id)
    const stream = options.follow
      ? await container.logs({follow: true, stdout: true, stderr: true})
      : Buffer.from(await container.logs({follow: false, stdout: true, stderr: true}))
    yield* splitLogFrames(stream instanceof Buffer ? [stream] : (stream as AsyncIterable<Buffer>))
  }

  /** Containers (running or not) carrying every label given (`key` or `key=value`). */
  async list(labels: string[]): Promise<ContainerSummary[]> {
    const found = await this.docker.listContainers({all: true, filters: {label: labels}})
    return found.map((container) => ({
      id: container.Id,
      name: (container.Names[0] ?? container.Id).replace(/^\//, ''),
      state: container.State,
      running: container.State === 'running',
      labels: container.Labels ?? {},
    }))
  }

  /** Runs a one-off container to completion and returns its exit code and output; the container is removed. */
  async runOnce(spec: ContainerSpec): Promise<{exitCode: number; output: string}> {
    const id = await this.create(spec)
    try {
      await this.start(id)
      const exitCode = await this.wait(id)
      const lines: string[] = []
      for await (const line of this.logLines(id)) lines.push(line)
      return {exitCode, output: lines.join('\n')}
    } finally {
      await this.remove(id, true)
    }
  }

  /** Follows an engine progress stream (build, push, import) to its end; an error line rejects. */
  async followProgress(stream: NodeJS.ReadableStream, onProgress: (progress: EngineProgress) => void): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, events: Array<{error?: string}>) => {
          const failed = events?.find((event) => event.error)
          if (error) reject(error)
          else if (failed) reject(new Error(failed.error))
          else resolve()
        },
        (event: {stream?: string; status?: string; progress?: string; id?: string; error?: string; aux?: {ID?: string}}) => {
          if (event.error) onProgress({error: event.error})
          const text = event.stream ?? (event.status ? `${event.id ? `${event.id}: ` : ''}${event.status}${event.progress ? ` ${event.progress}` : ''}` : undefined)
          if (text?.trim()) onProgress({line: text.replace(/\n$/, '')})
        },
      )
    })
  }
}

/**
 * docker-modem formats its SSH request address as `ssh:host:port…` and parses it with url.parse, which makes Node
 * print DEP0170 on every ec2 run although the SSH agent ignores that address. Only that warning is dropped.
 */
function silenceSshUrlWarning(): void {
  if ((process.emitWarning as {ftmFiltered?: boolean}).ftmFiltered) return
  const original = process.emitWarning.bind(process)
  const filtered = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message
    const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as {code?: string}).code : rest[1]
    if (code === 'DEP0170' && text.includes('URL ssh:')) return
    ;(original as (...args: unknown[]) => void)(warning, ...rest)
  }) as typeof process.emitWarning & {ftmFiltered?: boolean}
  filtered.ftmFiltered = true
  process.emitWarning = filtered
}

/** The HTTP status of a Docker API error, if any. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as {statusCode: unknown}).statusCode) : undefined
}

/** A short description of an engine error without secrets (no request bodies). */
export function describeEngineError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as {code: unknown}).code) : undefined
  if (code === 'ENOENT') return 'no socket (Docker is not running here)'
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'EACCES') return 'permission denied on its socket'
  const status = statusOf(error)
  return status ? `HTTP ${status}: ${errorMessage(error).split('\n')[0]}` : errorMessage(error).split('\n')[0]!
}
