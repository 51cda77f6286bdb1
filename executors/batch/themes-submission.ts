import type {SubmitJobCommandInput} from '@aws-sdk/client-batch'
import {UserError} from '../../src/base/errors.js'
import type {JobHandle} from '../../src/core/executor.js'
import type {Quarter} from '../../src/base/quarter.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {batchEnvironment, checkSubmitLimits, jobName} from './submission.js'

/** Batch accepts at most this many jobs in dependsOn. */
const dependencyLimit = 20

/** The Batch job ids a quarter's reduce waits for: each map job once (an array job's children share their parent). */
export function mapJobIds(handles: readonly JobHandle[], quarter: Quarter): string[] {
  return [...new Set(handles.filter((handle) => handle.quarter === quarter && handle.executor === 'batch').map((handle) => handle.id.replace(/:\d+$/, '')))]
}

/**
 * The SubmitJob request of a quarter's themes step (the cross-firm reduce): one plain job of the map step's job
 * definition, run as `ftm worker` with FTM_TASK=themes, waiting for the quarter's map jobs.
 */
export function themesSubmission(run: RunRecord, quarter: Quarter, runRecordLocation: string, dependsOn: readonly string[]): SubmitJobCommandInput {
  if (dependsOn.length > dependencyLimit) {
    throw new UserError(
      `The themes job of ${quarter} would wait for ${dependsOn.length} map jobs; Batch allows ${dependencyLimit}.`,
      'Run the map step with --parallel at least the number of partitions (one array job per quarter), or run `ftm themes` after the run finishes.',
    )
  }
  const input: SubmitJobCommandInput = {
    jobName: `${jobName(run.id, quarter).slice(0, 121)}-themes`,
    jobQueue: run.config.batch.jobQueue,
    jobDefinition: run.config.batch.jobDefinition,
    containerOverrides: {
      environment: batchEnvironment({task: 'themes', runRecordLocation, quarter}),
    },
    tags: {'ftm-run-id': run.id, 'ftm-quarter': quarter, 'ftm-task': 'themes'},
    propagateTags: true,
    ...(dependsOn.length > 0 ? {dependsOn: dependsOn.map((jobId) => ({jobId}))} : {}),
  }
  checkSubmitLimits(input)
  return input
}
