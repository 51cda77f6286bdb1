import {UserError} from '../core/errors.js'
import {isQuarter, type Quarter} from '../core/quarter.js'
import {parseRunRecordLocation} from '../core/run-record.js'

/** What a worker is told through its environment: where the run record is, which quarter, which partition. */
export interface WorkerContract {
  runRecord: string
  root: string
  runId: string
  quarter: Quarter
  partition: number
}

/** Reads the worker contract: FTM_RUN, FTM_QUARTER, and FTM_PARTITION (or AWS_BATCH_JOB_ARRAY_INDEX on Batch). */
export function readWorkerContract(environment: NodeJS.ProcessEnv): WorkerContract {
  const runRecord = environment.FTM_RUN
  const quarter = environment.FTM_QUARTER?.toUpperCase()
  const partitionText = environment.FTM_PARTITION ?? environment.AWS_BATCH_JOB_ARRAY_INDEX
  const fix = 'A worker needs FTM_RUN (the run record), FTM_QUARTER and FTM_PARTITION; `ftm run` sets them for you.'
  if (!runRecord) throw new UserError('FTM_RUN is not set.', fix)
  if (!quarter || !isQuarter(quarter)) throw new UserError(`FTM_QUARTER="${environment.FTM_QUARTER ?? ''}" is not a quarter like 2024Q1.`, fix)
  if (partitionText === undefined || !/^\d+$/.test(partitionText.trim())) {
    throw new UserError(`FTM_PARTITION="${partitionText ?? ''}" is not a partition number.`, fix)
  }
  return {runRecord, ...parseRunRecordLocation(runRecord), quarter, partition: Number(partitionText)}
}
