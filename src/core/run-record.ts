import {z} from 'zod'
import {type Config, configSchema, defaultConfig} from './config/schema.js'
import type {JobHandle} from './executor.js'
import type {SourceFingerprint} from './run/source-fingerprint.js'
import {runRecordKey} from './layout.js'
import {ftmVersion} from './package-root.js'
import type {Quarter} from '../base/quarter.js'
import {readJson, type Storage, writeJson} from '../storage/storage.js'
import {UserError} from '../base/errors.js'

/** The run record format this ftm writes and reads. */
export const runRecordVersion = 1

export type RunStatus = 'planned' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** A quarter of a run: how many firms and partitions it has. */
export interface QuarterPlan {
  quarter: Quarter
  firms: number
  partitions: number
}

/**
 * The run record (`runs/<id>/run.json`): everything a worker needs except secrets, and what any machine needs to
 * report on, resume or cancel the run.
 */
export interface RunRecord {
  version: 1
  id: string
  status: RunStatus
  createdAt: string
  updatedAt: string
  finishedAt?: string
  ftmVersion: string
  /** The storage root, as an absolute path or URI. */
  root: string
  source: string
  /** The source file as it was when the run was planned; a resume stops when it changed. */
  sourceFingerprint?: SourceFingerprint
  /**
   * True when the planner wrote each partition's transcripts under runs/<id>/inputs/ (file sources): its workers read
   * those and never the source. Absent for database sources (queried per firm) and runs planned before inputs existed.
   */
  partitionInputs?: boolean
  plan: QuarterPlan[]
  config: Config
  executor: {name: string; parallel: number}
  jobs: JobHandle[]
  /** Why the run ended as it did, when it did not succeed. */
  reason?: string
}

const runStatuses = ['planned', 'running', 'succeeded', 'failed', 'cancelled'] as const satisfies readonly RunStatus[]

/** The run record's shape; its `config` is checked with the same schema as any configuration. */
const runRecordSchema = z.looseObject({
  version: z.literal(runRecordVersion),
  id: z.string().min(1),
  status: z.enum(runStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  ftmVersion: z.string(),
  root: z.string().min(1),
  source: z.string(),
  plan: z.array(z.looseObject({quarter: z.string(), firms: z.number().int().min(0), partitions: z.number().int().min(0)})),
  config: configSchema,
  executor: z.looseObject({name: z.string().min(1), parallel: z.number().int().positive()}),
  jobs: z.array(z.looseObject({executor: z.string(), runId: z.string(), quarter: z.string(), partition: z.number().int(), id: z.string()})),
  reason: z.string().optional(),
})

/**
 * Reads a run record and checks it. A missing one, one written by a newer ftm, or one that does not match the
 * format is a user error naming the run and what to do.
 */
export async function readRunRecord(storage: Storage, runId: string): Promise<RunRecord> {
  const raw = await readJson<Record<string, unknown>>(storage, runRecordKey(runId))
  if (!raw) {
    throw new UserError(`There is no run ${runId} under ${storage.uri}.`, 'Check the run id and --root; `ftm runs` lists the runs there.')
  }
  const writtenBy = typeof raw.ftmVersion === 'string' ? raw.ftmVersion : 'an unknown version'
  if (typeof raw.version === 'number' && raw.version > runRecordVersion) {
    throw new UserError(
      `Run ${runId} was written by a newer ftm (${writtenBy}, run record version ${raw.version}); this ftm (${ftmVersion}) reads version ${runRecordVersion}.`,
      `Use ftm ${writtenBy} or newer for this run.`,
    )
  }
  // Sections added since the record was written take their defaults, so records of earlier versions stay readable.
  const config = isTree(raw.config) ? withDefaults(defaultConfig, raw.config) : raw.config
  const parsed = runRecordSchema.safeParse({...raw, config})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(
      `The run record of ${runId} under ${storage.uri} is not one this ftm can read: ${issue.path.join('.') || 'the record'}: ${issue.message}.`,
      `It was written by ftm ${writtenBy}, or changed by hand; read it with the ftm that wrote it, or start a new run.`,
    )
  }
  return parsed.data as RunRecord
}

type Tree = Record<string, unknown>

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The record's values over the defaults, object by object (lists and values are the record's own). */
function withDefaults(defaults: unknown, values: Tree): Tree {
  if (!isTree(defaults)) return values
  const merged: Tree = {...defaults}
  for (const [key, value] of Object.entries(values)) merged[key] = isTree(value) ? withDefaults(defaults[key], value) : value
  return merged
}

/** Writes a run record, stamping its update time. */
export async function writeRunRecord(storage: Storage, record: RunRecord, now: Date = new Date()): Promise<void> {
  record.updatedAt = now.toISOString()
  await writeJson(storage, runRecordKey(record.id), record)
}

/** The location a worker is given in FTM_RUN: the run record's path or URI. */
export function runRecordLocation(storage: Storage, runId: string): string {
  const key = runRecordKey(runId)
  return storage.localPath(key) ?? `${storage.uri.replace(/\/$/, '')}/${key}`
}

/** Splits a run record location into the storage root and the run id. */
export function parseRunRecordLocation(location: string): {root: string; runId: string} {
  const match = /^(.*?)[/\\]?runs[/\\]([^/\\]+)[/\\]run\.json$/.exec(location)
  if (!match) {
    throw new UserError(
      `FTM_RUN="${location}" does not point at a run record.`,
      'Set FTM_RUN to <root>/runs/<run-id>/run.json; the executors set it for you.',
    )
  }
  return {root: match[1] || '.', runId: match[2]!}
}
