import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {DockerClient} from '../../executors/docker/docker-client.js'
import {labelKeys} from '../../executors/docker/container-spec.js'
import {planOfflineImage} from '../../executors/docker/offline-image.js'
import {expect} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import {parseJson, runCli} from './cli.js'

/** Why Docker cannot be used here, or undefined when a real engine answers (checked once per test file). */
export async function dockerUnavailableReason(): Promise<string | undefined> {
  const socket = process.env.DOCKER_HOST ?? '/var/run/docker.sock'
  if (!process.env.DOCKER_HOST && !existsSync(socket)) return `no Docker socket at ${socket} (install docker.io and start dockerd)`
  try {
    await DockerClient.connect().ping()
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** Why the tests' sshd cannot run here, or undefined. */
export function sshdUnavailableReason(): string | undefined {
  if (!existsSync('/usr/sbin/sshd')) return 'no /usr/sbin/sshd (install openssh-server)'
  if (!existsSync('/usr/bin/ssh-keygen')) return 'no ssh-keygen (install openssh-client)'
  return undefined
}

/**
 * The worker image for tests: built by the real `ftm image build --offline` from the current build, tagged by a
 * hash of its content, so test files and CI runs reuse it while nothing changed. Returns the tag.
 */
export async function ensureTestImage(): Promise<string> {
  const plan = planOfflineImage()
  const client = DockerClient.connect()
  // Test files run in parallel: one builds while the others wait for it (a lock folder naming the builder's pid).
  const lock = path.join(os.tmpdir(), `ftm-test-image-${plan.tag.replace(/[^\w.-]/g, '_')}.lock`)
  for (;;) {
    if (await client.hasImage(plan.tag)) return plan.tag
    try {
      mkdirSync(lock)
      break
    } catch {
      const holder = lockHolder(lock)
      if (holder > 0 && !processAlive(holder)) rmSync(lock, {recursive: true, force: true})
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  try {
    writeFileSync(path.join(lock, 'pid'), String(process.pid))
    const result = await runCli(['image', 'build', '--offline', '--json'])
    if (result.exitCode !== 0) throw new Error(`ftm image build --offline failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`)
    // The CLI hashes the build as it is when it runs, which is the image to use.
    const image = (JSON.parse(result.stdout) as {image: string}).image
    await removeOlderTestImages(client, image)
    return image
  } finally {
    rmSync(lock, {recursive: true, force: true})
  }
}

/** Removes offline images of earlier builds so that a CI machine's disk does not fill up; images in use stay. */
async function removeOlderTestImages(client: DockerClient, keep: string): Promise<void> {
  const [repository] = keep.split(':')
  const images = await client.docker.listImages({filters: {reference: [`${repository}:*`]}})
  for (const tag of images.flatMap((image) => image.RepoTags ?? []).filter((tag) => tag !== keep)) {
    await client.docker
      .getImage(tag)
      .remove()
      .catch(() => undefined)
  }
}

function lockHolder(lock: string): number {
  try {
    return Number(readFileSync(path.join(lock, 'pid'), 'utf8'))
  } catch {
    return 0
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Containers of a run still on the engine (labelled with its id): a finished or cancelled run must leave none. */
export async function containersOfRun(runId: string): Promise<string[]> {
  const containers = await DockerClient.connect().list([`${labelKeys.runId}=${runId}`])
  return containers.map((container) => container.name)
}

/** Removes every container labelled as ftm's (used in afterAll so that no test leaves containers behind). */
export async function removeTestContainers(runIds: string[]): Promise<void> {
  const client = DockerClient.connect()
  for (const runId of runIds) {
    for (const container of await client.list([`${labelKeys.runId}=${runId}`])) await client.remove(container.id, true)
  }
}

/** A run's rows without the columns that differ between two runs of the same partition (run id, timings). */
export async function partitionRows(root: string, environment: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const queries = {
    firms: `SELECT * EXCLUDE (run_id, fetch_ms, preprocess_ms, embed_ms, reduce_ms, cluster_ms, keywords_ms, label_ms, measures_ms, total_ms, finished_at) FROM firms ORDER BY firm_id`,
    topics: 'SELECT * EXCLUDE (run_id) FROM topics ORDER BY firm_id, topic_id',
    sentences: 'SELECT * EXCLUDE (run_id) FROM sentences ORDER BY firm_id, component_order, sentence_index',
  }
  const rows: Record<string, unknown> = {}
  for (const [table, sql] of Object.entries(queries)) {
    const result = await runCli(['inspect', '--root', root, '--sql', sql, '--json'], {environment})
    expect(result.exitCode, result.stderr).toBe(0)
    rows[table] = parseJson<InspectResult>(result).query!.rows
  }
  return rows
}

/** A real sshd on 127.0.0.1 for the ec2 executor's tests: its own config, host key and a client key made now. */
export interface TestSshd {
  port: number
  user: string
  /** The client's private key file. */
  key: string
  /** `ssh://user@127.0.0.1:port` */
  host: string
  stop(): Promise<void>
}

/** Starts sshd (Debian's openssh-server) on a free port of 127.0.0.1 with keys generated for this test. */
export async function startTestSshd(): Promise<TestSshd> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ftm-sshd-'))
  for (const name of ['host_key', 'client_key']) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `ftm-test-${name}`, '-f', path.join(folder, name)])
  }
  writeFileSync(path.join(folder, 'authorized_keys'), readFileSync(path.join(folder, 'client_key.pub')))
  chmodSync(path.join(folder, 'authorized_keys'), 0o600)
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', {recursive: true, mode: 0o755})
  const port = await freePort()
  const config = path.join(folder, 'sshd_config')
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(folder, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(folder, 'authorized_keys')}`,
      `PidFile ${path.join(folder, 'sshd.pid')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      // The engine socket's path, so `docker system dial-stdio` finds it in the SSH session as locally.
      ...(process.env.DOCKER_HOST ? [`SetEnv DOCKER_HOST=${process.env.DOCKER_HOST}`] : []),
      '',
    ].join('\n'),
  )
  const sshd = execa('/usr/sbin/sshd', ['-D', '-e', '-f', config], {reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: false})
  let output = ''
  sshd.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await waitForPort(port, () => (sshd.exitCode === null ? undefined : `sshd exited ${sshd.exitCode}: ${output}`))
  const user = os.userInfo().username
  return {
    port,
    user,
    key: path.join(folder, 'client_key'),
    host: `ssh://${user}@127.0.0.1:${port}`,
    stop: async () => {
      sshd.kill('SIGTERM')
      await sshd
      rmSync(folder, {recursive: true, force: true})
    },
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function waitForPort(port: number, failure: () => string | undefined): Promise<void> {
  for (;;) {
    const problem = failure()
    if (problem) throw new Error(problem)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
