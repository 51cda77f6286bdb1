import {describe, expect, it} from 'vitest'
import {isUserError} from '../../../src/base/errors.js'
import {readThemesContract, readWorkerContract, withWorkerEnvironment, workerEnvironment, workerTask} from '../../../src/core/worker-contract.js'

const runRecordLocation = 's3://bucket/out/runs/20261128-143205-7f3a/run.json'

function messageOf(read: () => unknown): string {
  try {
    read()
  } catch (error) {
    if (isUserError(error)) return `${error.message} ${error.hint}`
    throw error
  }
  throw new Error('expected a UserError')
}

describe('the worker contract', () => {
  it('writes what the partition reader reads back, in a fixed order', () => {
    const environment = workerEnvironment({task: 'partition', runRecordLocation, quarter: '2024Q1', partition: 3})
    expect(Object.keys(environment)).toEqual(['FTM_RUN', 'FTM_QUARTER', 'FTM_PARTITION'])
    expect(workerTask(environment)).toBe('partition')
    expect(readWorkerContract(environment)).toEqual({runRecordLocation, root: 's3://bucket/out', runId: '20261128-143205-7f3a', quarter: '2024Q1', partition: 3})
  })

  it('leaves the partition of an array job to AWS_BATCH_JOB_ARRAY_INDEX', () => {
    const environment = workerEnvironment({task: 'partition', runRecordLocation, quarter: '2024Q1'})
    expect(environment).toEqual({FTM_RUN: runRecordLocation, FTM_QUARTER: '2024Q1'})
    expect(readWorkerContract({...environment, AWS_BATCH_JOB_ARRAY_INDEX: '4'}).partition).toBe(4)
  })

  it('writes the themes task, which the themes reader reads back without a partition', () => {
    const environment = workerEnvironment({task: 'themes', runRecordLocation, quarter: '2024Q2'})
    expect(environment).toEqual({FTM_RUN: runRecordLocation, FTM_QUARTER: '2024Q2', FTM_TASK: 'themes'})
    expect(workerTask(environment)).toBe('themes')
    expect(readThemesContract(environment)).toEqual({runRecordLocation, root: 's3://bucket/out', runId: '20261128-143205-7f3a', quarter: '2024Q2'})
  })

  it("keeps a parent's other variables and never its contract values", () => {
    const parent = {LLM_API_KEY: 'secret', FTM_TASK: 'themes', FTM_PARTITION: '9', FTM_RUN: 'elsewhere', UNSET: undefined}
    expect(withWorkerEnvironment(parent, {task: 'partition', runRecordLocation, quarter: '2024Q1', partition: 0})).toEqual({
      LLM_API_KEY: 'secret',
      FTM_RUN: runRecordLocation,
      FTM_QUARTER: '2024Q1',
      FTM_PARTITION: '0',
    })
    expect(withWorkerEnvironment(parent, {task: 'themes', runRecordLocation, quarter: '2024Q1'})).toEqual({LLM_API_KEY: 'secret', FTM_RUN: runRecordLocation, FTM_QUARTER: '2024Q1', FTM_TASK: 'themes'})
  })

  it('says what is missing and who sets it, for each task', () => {
    expect(messageOf(() => readWorkerContract({FTM_QUARTER: '2024Q1', FTM_PARTITION: '0'}))).toBe(
      'FTM_RUN is not set. A worker needs FTM_RUN (the run record), FTM_QUARTER and FTM_PARTITION; `ftm run` sets them for you.',
    )
    expect(messageOf(() => readWorkerContract({FTM_RUN: runRecordLocation, FTM_QUARTER: '2024Q1', FTM_PARTITION: 'x'}))).toMatch(/^FTM_PARTITION="x" is not a partition number\./)
    expect(messageOf(() => readThemesContract({FTM_RUN: runRecordLocation, FTM_QUARTER: '2024Q5'}))).toBe(
      'FTM_QUARTER="2024Q5" is not a quarter like 2024Q1. The reduce needs FTM_RUN (the run record) and FTM_QUARTER; `ftm themes` sets them for you.',
    )
    expect(messageOf(() => readThemesContract({FTM_RUN: '/tmp/out/run.json', FTM_QUARTER: '2024Q1'}))).toMatch(/does not point at a run record/)
  })
})
