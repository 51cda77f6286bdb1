import {existsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {PartitionJob} from '../../src/core/executor.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {withWorkerEnvironment} from '../../src/core/worker-contract.js'
import type {ContainerSpec} from './docker-client.js'
import type {DeviceRequest} from './gpu-request.js'

/** The labels every worker container carries, so a run's containers (and orphans) can be found from Docker itself. */
export const labelKeys = {
  runId: 'ftm.run-id',
  quarter: 'ftm.quarter',
  partition: 'ftm.partition',
  version: 'ftm.version',
  cliHost: 'ftm.cli-host',
  cliPid: 'ftm.cli-pid',
} as const

/** A worker container's name: `ftm-<run id>-<quarter>-p<partition>`, unique per partition of a run. */
export function containerName(job: Pick<PartitionJob, 'runId' | 'quarter' | 'partition'>): string {
  return `ftm-${job.runId}-${job.quarter}-p${job.partition}`.toLowerCase()
}

export interface WorkerSpecOptions {
  image: string
  network: string
  stopTimeout: number
  deviceRequests: DeviceRequest[]
  /** Host paths mounted at the same path in the container (local roots, sources, model folders). */
  mounts: Array<{path: string; readOnly: boolean}>
  /** Environment passed through (secrets included): never written to the run record or logs. */
  environment: Record<string, string>
  /** `uid:gid` so files written to a mounted output folder belong to the user; undefined: the image's user. */
  user?: string
  version: string
}

/** The create request of one partition's worker container: the worker contract in the environment, labels, GPUs, mounts. */
export function workerContainerSpec(job: PartitionJob, options: WorkerSpecOptions): ContainerSpec {
  return {
    name: containerName(job),
    Image: options.image,
    Env: Object.entries(withWorkerEnvironment(options.environment, {task: 'partition', runRecordLocation: job.runRecordLocation, quarter: job.quarter, partition: job.partition})).map(
      ([key, value]) => `${key}=${value}`,
    ),
    Labels: {
      [labelKeys.runId]: job.runId,
      [labelKeys.quarter]: job.quarter,
      [labelKeys.partition]: String(job.partition),
      [labelKeys.version]: options.version,
      [labelKeys.cliHost]: os.hostname(),
      [labelKeys.cliPid]: String(process.pid),
    },
    User: options.user,
    StopSignal: 'SIGTERM',
    StopTimeout: options.stopTimeout,
    HostConfig: {
      NetworkMode: options.network,
      Binds: options.mounts.map((mount) => `${mount.path}:${mount.path}${mount.readOnly ? ':ro' : ''}`),
      DeviceRequests: options.deviceRequests,
      Init: false,
    },
  }
}

/**
 * The host paths a worker needs when they are local: the output root (read-write), the source file and a local
 * model folder (read-only). Remote roots (s3://) and missing paths are not mounted.
 */
export function localMounts(record: RunRecord): Array<{path: string; readOnly: boolean}> {
  const mounts: Array<{path: string; readOnly: boolean}> = []
  if (path.isAbsolute(record.root)) mounts.push({path: record.root, readOnly: false})
  if (record.source && path.isAbsolute(record.source) && existsSync(record.source) && !isInside(record.source, record.root)) {
    mounts.push({path: record.source, readOnly: true})
  }
  const embedding = record.config.pipeline.embedding as {modelCache?: string; model?: string}
  for (const folder of [embedding.modelCache, embedding.model]) {
    if (folder && path.isAbsolute(folder) && existsSync(folder) && !isInside(folder, record.root)) mounts.push({path: folder, readOnly: true})
  }
  return mounts
}

/** Variables that give AWS credentials, region or endpoints; profile files are not passed (not in the container). */
const awsVariable = /^AWS_(?!PROFILE$|CONFIG_FILE$|SHARED_CREDENTIALS_FILE$)[A-Z0-9_]+$/
/** ftm's S3 settings (endpoint, path style, attempts), read from the environment by every worker. */
const s3Variable = /^FTM_S3_[A-Z0-9_]+$/
/** libpq's connection variables, for a WRDS/PostgreSQL source. */
const postgresVariable = /^PG(USER|PASSWORD|HOST|PORT|DATABASE|SSLMODE|SSLROOTCERT|CONNECT_TIMEOUT)$/

/**
 * The environment passed into worker containers: AWS credentials and ftm's S3 settings when the root or the source
 * is on S3 (or the source reads a Secrets Manager secret), libpq's variables and the source's named user/password
 * variables for a database source, and every variable the configuration names in a `...Variable` key (API keys).
 * Values come from the CLI's environment only and never reach the run record or the logs.
 */
export function passedEnvironment(record: RunRecord, environment: NodeJS.ProcessEnv): Record<string, string> {
  const source = record.source ?? ''
  const database = /^(wrds|postgres|postgresql):\/\//i.test(source)
  const usesAws = /^s3:\/\//i.test(record.root) || /^s3:\/\//i.test(source) || (database && /[?&]secret=/.test(source))
  const patterns = [...(usesAws ? [awsVariable, s3Variable] : []), ...(database ? [postgresVariable] : [])]
  const names = new Set(namedVariables(record.config))
  if (database) for (const match of source.matchAll(/[?&](?:user|password)Variable=([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!)
  const passed: Record<string, string> = {}
  for (const [key, value] of Object.entries(environment)) {
    if (value !== undefined && (names.has(key) || patterns.some((pattern) => pattern.test(key)))) passed[key] = value
  }
  return passed
}

function namedVariables(tree: unknown): string[] {
  if (typeof tree !== 'object' || tree === null) return []
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? (/Variable$/.test(key) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? [value] : []) : namedVariables(value),
  )
}

function isInside(file: string, folder: string): boolean {
  if (!path.isAbsolute(folder)) return false
  const relative = path.relative(folder, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}
