import {describe, expect, it} from 'vitest'
import {jobStateOf} from '../../../../executors/batch/job-state.js'
import type {JobState} from '../../../../src/core/executor.js'
import type {PartitionProgress} from '../../../../src/core/progress.js'
import {partitionReason} from '../../../../src/core/run/partition-reason.js'

const handle = {executor: 'batch', runId: 'r', quarter: '2024Q1', partition: 0, id: 'job-1'}
type JobDetail = Parameters<typeof jobStateOf>[1]
const detail = (fields: Partial<JobDetail>): JobDetail => fields as JobDetail
const stoppedWorker = {reason: 'stopped by SIGTERM after committing 12 firms'} as PartitionProgress

describe("a partition's reason: Batch's words beside the worker's", () => {
  it('a Batch timeout is shown as Batch states it, before the worker\'s own stop', () => {
    const state = jobStateOf(handle, detail({status: 'FAILED', statusReason: 'Job attempt duration exceeded timeout', attempts: [{statusReason: 'Job attempt duration exceeded timeout', container: {exitCode: 143}}]}))
    expect(partitionReason(state, stoppedWorker)).toBe(
      'Batch: Job attempt duration exceeded timeout; attempt 1: Job attempt duration exceeded timeout; exit 143: stopped by SIGTERM after committing its checkpoint; worker: stopped by SIGTERM after committing 12 firms',
    )
  })

  it("shows Batch's container reasons (CannotPullContainerError, ResourceInitializationError, the essential container) with no worker reason", () => {
    for (const why of ['CannotPullContainerError: pull image manifest has been retried 5 time(s)', 'ResourceInitializationError: unable to pull secrets', 'Essential container in task exited']) {
      const state = jobStateOf(handle, detail({status: 'FAILED', statusReason: 'Task failed to start', attempts: [{statusReason: 'Task failed to start', container: {reason: why}}]}))
      expect(partitionReason(state, undefined)).toBe(`Batch: Task failed to start; attempt 1: Task failed to start; ${why}`)
    }
  })

  it('a retry after a Spot reclaim says so; a succeeded partition has no reason; other executors keep the worker\'s reason first', () => {
    const retrying = jobStateOf(handle, detail({status: 'RUNNABLE', attempts: [{statusReason: 'Host EC2 (instance i-0abc) terminated.'}]}))
    expect(partitionReason(retrying, stoppedWorker)).toMatch(/^Batch: retrying \(attempt 2\) after attempt 1: Spot reclaim: Host EC2 \(instance i-0abc\) terminated\.; worker: stopped by SIGTERM/)
    expect(partitionReason(jobStateOf(handle, detail({status: 'SUCCEEDED', attempts: [{statusReason: 'Host EC2 (instance i-0abc) terminated.'}, {container: {exitCode: 0}}]})), stoppedWorker)).toBeUndefined()
    const processState: JobState = {handle: {...handle, executor: 'process'}, phase: 'failed', reason: 'exit code 3'}
    expect(partitionReason(processState, stoppedWorker)).toBe(stoppedWorker.reason)
    expect(partitionReason(processState, undefined)).toBe('exit code 3')
  })
})
