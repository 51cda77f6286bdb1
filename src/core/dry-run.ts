import type {Config} from './config/schema.js'
import {UserError} from './errors.js'
import {createExecutor} from './executor-registry.js'
import {ftmVersion} from './package-root.js'
import {newRunId} from './run-id.js'
import {type QuarterPlan, type RunRecord, runRecordLocation} from './run-record.js'
import {planRun} from './run/plan-run.js'
import {openSource} from '../sources/open-source.js'
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
  const runId = newRunId(now)
  const source = openSource(config.source, {quarters: config.quarters ? new Set(config.quarters) : undefined})
  const plan = await planRun(runId, config, source).finally(() => source.close())
  const record: RunRecord = {
    version: 1,
    id: runId,
    status: 'planned',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ftmVersion,
    root: storage.uri,
    source: config.source!,
    plan: plan.quarters,
    config,
    executor: {name: executor.name, parallel: config.parallel},
    jobs: [],
  }
  const jobs = plan.manifests.map((manifest) => ({runId, quarter: manifest.quarter, partition: manifest.partition, runRecord: runRecordLocation(storage, runId)}))
  return {runId, executor: executor.name, plan: plan.quarters, requests: await executor.describeSubmission(record, jobs)}
}
