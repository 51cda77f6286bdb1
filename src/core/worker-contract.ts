import {UserError} from '../base/errors.js'
import {isQuarter, type Quarter} from '../base/quarter.js'
import {parseRunRecordLocation} from './run-record.js'

/**
 * The worker contract (design.md): `ftm worker` is told where the run record is (FTM_RUN), which quarter
 * (FTM_QUARTER), which partition (FTM_PARTITION, or AWS_BATCH_JOB_ARRAY_INDEX in a Batch array job) and, for the
 * cross-firm themes step of a quarter, FTM_TASK=themes. This module is its one writer and its one reader.
 */
export type WorkerJob =
  /** One partition of the map step; no partition: a Batch array job, whose children read their array index. */
  | {task: 'partition'; runRecordLocation: string; quarter: Quarter; partition?: number}
  /** The themes (cross-firm) step of one quarter. */
  | {task: 'themes'; runRecordLocation: string; quarter: Quarter}

/** What a partition worker reads from its environment. */
export interface WorkerContract {
  runRecordLocation: string
  root: string
  runId: string
  quarter: Quarter
  partition: number
}

/** What the themes step of a quarter reads from its environment. */
export type ThemesContract = Omit<WorkerContract, 'partition'>

/** The environment variables of the contract, so a parent's values never leak into a child's. */
export const workerContractVariables = ['FTM_RUN', 'FTM_QUARTER', 'FTM_PARTITION', 'FTM_TASK'] as const

const themesTask = 'themes'

/** The contract's variables for one job, in a fixed order (FTM_RUN, FTM_QUARTER, then FTM_PARTITION or FTM_TASK). */
export function workerEnvironment(job: WorkerJob): Record<string, string> {
  const environment: Record<string, string> = {FTM_RUN: job.runRecordLocation, FTM_QUARTER: job.quarter}
  if (job.task === 'themes') environment.FTM_TASK = themesTask
  else if (job.partition !== undefined) environment.FTM_PARTITION = String(job.partition)
  return environment
}

/** A base environment (secrets, credentials) with any inherited contract variables replaced by the job's. */
export function withWorkerEnvironment(base: NodeJS.ProcessEnv | Record<string, string>, job: WorkerJob): Record<string, string> {
  const kept = Object.entries(base).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !(workerContractVariables as readonly string[]).includes(entry[0]),
  )
  return {...Object.fromEntries(kept), ...workerEnvironment(job)}
}

/** Which task the environment asks `ftm worker` for. */
export function workerTask(environment: NodeJS.ProcessEnv): WorkerJob['task'] {
  return environment.FTM_TASK === themesTask ? 'themes' : 'partition'
}

/** Reads the partition contract: FTM_RUN, FTM_QUARTER, and FTM_PARTITION (or AWS_BATCH_JOB_ARRAY_INDEX on Batch). */
export function readWorkerContract(environment: NodeJS.ProcessEnv): WorkerContract {
  const fix = 'A worker needs FTM_RUN (the run record), FTM_QUARTER and FTM_PARTITION; `ftm run` sets them for you.'
  const located = readRunAndQuarter(environment, fix)
  const partitionText = environment.FTM_PARTITION ?? environment.AWS_BATCH_JOB_ARRAY_INDEX
  if (partitionText === undefined || !/^\d+$/.test(partitionText.trim())) {
    throw new UserError(`FTM_PARTITION="${partitionText ?? ''}" is not a partition number.`, fix)
  }
  return {...located, ...parseRunRecordLocation(located.runRecordLocation), partition: Number(partitionText)}
}

/** Reads the themes contract: FTM_RUN and FTM_QUARTER. */
export function readThemesContract(environment: NodeJS.ProcessEnv): ThemesContract {
  const located = readRunAndQuarter(environment, 'The reduce needs FTM_RUN (the run record) and FTM_QUARTER; `ftm themes` sets them for you.')
  return {...located, ...parseRunRecordLocation(located.runRecordLocation)}
}

function readRunAndQuarter(environment: NodeJS.ProcessEnv, fix: string): {runRecordLocation: string; quarter: Quarter} {
  const runRecordLocation = environment.FTM_RUN
  const quarter = environment.FTM_QUARTER?.toUpperCase() ?? ''
  if (!runRecordLocation) throw new UserError('FTM_RUN is not set.', fix)
  if (!isQuarter(quarter)) throw new UserError(`FTM_QUARTER="${environment.FTM_QUARTER ?? ''}" is not a quarter like 2024Q1.`, fix)
  return {runRecordLocation, quarter}
}
