import type {Config} from './config/schema.js'
import {UserError} from '../base/errors.js'
import {createExecutor} from './executor-registry.js'
import type {QuarterPlan} from './run-record.js'
import {partitionJobs, planRecord} from './run/plan-record.js'
import {openStorage} from '../storage/open-storage.js'

/** What `ftm run --dry-run` prints: the plan and the executor's requests, none of them sent. */
export interface DryRun {
  runId: string
  executor: string
  plan: QuarterPlan[]
  requests: unknown
}

/** Plans a run in memory (nothing written, nothing submitted) and asks the executor what it would send. */
export async function dryRunSubmission(config: Config, environment: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Promise<DryRun> {
  const storage = openStorage(config.root)
  const executor = await createExecutor(config.executor, {storage, environment})
  if (!executor.describeSubmission) {
    throw new UserError(`The ${executor.name} executor has nothing to show in a dry run.`, 'Use --dry-run with an executor that submits requests, e.g. --executor batch; `ftm plan` shows any run\'s partitions.')
  }
  const {record} = await planRecord({config, storage, executorName: executor.name, status: 'planned', now})
  const runId = record.id
  const jobs = partitionJobs(storage, record)
  return {runId, executor: executor.name, plan: record.plan, requests: await executor.describeSubmission(record, jobs)}
}
