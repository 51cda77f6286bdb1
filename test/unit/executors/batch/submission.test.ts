import {describe, expect, it} from 'vitest'
import {containsDefinition, jobDefinitionInput, retryStrategy} from '../../../../executors/batch/job-definition.js'
import {jobStateOf} from '../../../../executors/batch/job-state.js'
import {planSubmissions} from '../../../../executors/batch/submission.js'
import {defaultBatchSettings} from '../../../../executors/batch/batch-settings.js'
import type {JobHandle, PartitionJob} from '../../../../src/core/executor.js'

const runId = '20261128-143205-7f3a'
const jobs = (quarter: string, count: number, runRecordLocation = 's3://bucket/ftm/runs/x/run.json'): PartitionJob[] =>
  Array.from({length: count}, (_, partition) => ({runId, quarter, partition, runRecordLocation}))

describe('Batch submissions', () => {
  it('one array job per quarter when all partitions fit in --parallel; a one-partition quarter is a plain job', () => {
    const planned = planSubmissions(runId, [...jobs('2024Q1', 5), ...jobs('2024Q2', 1)], 6, defaultBatchSettings)
    expect(planned.map((submission) => [submission.input.jobName, submission.input.arrayProperties?.size, submission.array])).toEqual([
      [`ftm-${runId}-2024Q1`, 5, true],
      [`ftm-${runId}-2024Q2-p00000`, undefined, false],
    ])
    expect(planned[0]!.input.containerOverrides).toEqual({environment: [{name: 'FTM_RUN', value: 's3://bucket/ftm/runs/x/run.json'}, {name: 'FTM_QUARTER', value: '2024Q1'}]})
    expect(planned[1]!.input.containerOverrides!.environment).toContainEqual({name: 'FTM_PARTITION', value: '0'})
    expect(planned[0]!.input.tags).toEqual({'ftm-run-id': runId, 'ftm-quarter': '2024Q1'})
  })

  it('more partitions than --parallel: N chains of plain jobs, each waiting for the one before it', () => {
    const planned = planSubmissions(runId, jobs('2024Q1', 5), 2, defaultBatchSettings)
    expect(planned.map((submission) => [submission.key, submission.after])).toEqual([
      ['2024Q1/0', undefined],
      ['2024Q1/1', undefined],
      ['2024Q1/2', '2024Q1/0'],
      ['2024Q1/3', '2024Q1/1'],
      ['2024Q1/4', '2024Q1/2'],
    ])
  })

  it('refuses container overrides over the 8192-character limit before anything is sent', () => {
    const longRoot = `s3://bucket/${'x'.repeat(8200)}/runs/x/run.json`
    expect(() => planSubmissions(runId, jobs('2024Q1', 2, longRoot), 2, defaultBatchSettings)).toThrow(/8192/)
  })
})

describe('Batch job definition', () => {
  it('retries Spot reclaims and exit codes 75 and 143 first, then exits on anything else', () => {
    expect(retryStrategy(3).evaluateOnExit!.map((entry) => entry.action)).toEqual(['RETRY', 'RETRY', 'RETRY', 'EXIT'])
    const input = jobDefinitionInput({...defaultBatchSettings, secrets: ['LLM_API_KEY=arn:aws:secretsmanager:us-east-1:123456789012:secret:llm-AbCd']}, 'image:1')
    expect(input.containerProperties!.secrets).toEqual([{name: 'LLM_API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:llm-AbCd'}])
    expect(input.containerProperties!.resourceRequirements).toContainEqual({type: 'GPU', value: '1'})
  })

  it('a registered definition with extra service defaults still contains the desired one; a changed value does not', () => {
    const desired = jobDefinitionInput(defaultBatchSettings, 'image:1')
    const registered = {...desired, revision: 4, containerProperties: {...desired.containerProperties, environment: [], volumes: []}}
    expect(containsDefinition(registered, desired)).toBe(true)
    expect(containsDefinition(registered, jobDefinitionInput({...defaultBatchSettings, memory: 30000}, 'image:1'))).toBe(false)
  })
})

describe('Batch job states', () => {
  const handle: JobHandle = {executor: 'batch', runId, quarter: '2024Q1', partition: 0, id: 'a:0'}
  it('maps statuses to phases, counts Spot reclaims apart, and tells a cancel from a failure', () => {
    for (const status of ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING']) expect(jobStateOf(handle, {status} as never).phase).toBe('pending')
    const spot = {statusReason: 'Host EC2 (instance i-0123456789abcdef0) terminated.', container: {}}
    const running = jobStateOf(handle, {status: 'RUNNING', attempts: [spot]} as never)
    expect(running).toMatchObject({phase: 'running', attempts: 2, interruptions: 1})
    const retrying = jobStateOf(handle, {status: 'RUNNABLE', attempts: [spot]} as never)
    expect(retrying.reason).toContain('Spot reclaim')
    const failed = jobStateOf(handle, {status: 'FAILED', statusReason: 'Essential container in task exited', attempts: [{statusReason: 'Essential container in task exited', container: {exitCode: 2}}]} as never)
    expect(failed).toMatchObject({phase: 'failed', exitCode: 2, interruptions: 0})
    expect(failed.reason).toContain('bad configuration')
    expect(jobStateOf(handle, {status: 'FAILED', statusReason: 'Cancelled by ftm cancel (run x)'} as never).phase).toBe('cancelled')
  })
})
