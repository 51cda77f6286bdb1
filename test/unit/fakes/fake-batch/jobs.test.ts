import {describe, expect, it} from 'vitest'
import {JobTable} from '../../../../fakes/fake-batch/jobs.js'
import {LogStore} from '../../../../fakes/fake-batch/log-store.js'
import {Resources} from '../../../../fakes/fake-batch/resources.js'
import {Scheduler} from '../../../../fakes/fake-batch/scheduler.js'

function table(): JobTable {
  const resources = new Resources('us-east-1')
  resources.createEnvironment({computeEnvironmentName: 'ce', type: 'MANAGED', computeResources: {type: 'SPOT'}})
  resources.createQueue({jobQueueName: 'q', priority: 1, computeEnvironmentOrder: [{order: 1, computeEnvironment: 'ce'}]})
  resources.register({jobDefinitionName: 'worker', type: 'container', containerProperties: {image: 'i'}})
  return new JobTable(resources)
}

function scheduler(jobs: JobTable): Scheduler {
  return new Scheduler(jobs, jobs.resources, new LogStore(), {command: {file: process.execPath, arguments: ['-e', '']}, baseEnvironment: {}, gpus: 0, slots: 1, secretValues: {}, stopTimeoutSeconds: 1})
}

describe('the fake Batch job table (aws-batch.md §4, §5)', () => {
  it('ListJobs without jobStatus lists only RUNNING jobs; with one, that status', () => {
    const jobs = table()
    const {jobId} = jobs.submit({jobName: 'a', jobQueue: 'q', jobDefinition: 'worker'}, 1) as {jobId: string}
    expect((jobs.list({jobQueue: 'q'}) as {jobSummaryList: unknown[]}).jobSummaryList).toEqual([])
    expect((jobs.list({jobQueue: 'q', jobStatus: 'SUBMITTED'}) as {jobSummaryList: {jobId: string}[]}).jobSummaryList.map((job) => job.jobId)).toEqual([jobId])
    expect(() => jobs.list({})).toThrow(/exactly one/)
  })

  it('array children are <parent>:<index> with their own index; DescribeJobs takes at most 100 ids', () => {
    const jobs = table()
    const {jobId} = jobs.submit({jobName: 'a', jobQueue: 'q', jobDefinition: 'worker:1', arrayProperties: {size: 3}}, 1) as {jobId: string}
    jobs.spawnChildren(jobs.get(jobId), 2)
    const described = jobs.describe({jobs: [jobId, `${jobId}:2`, 'unknown']}) as {jobs: {jobId: string; arrayProperties: Record<string, unknown>}[]}
    expect(described.jobs.map((job) => job.jobId)).toEqual([jobId, `${jobId}:2`])
    expect(described.jobs[0]!.arrayProperties).toMatchObject({size: 3, statusSummary: {PENDING: 3, RUNNING: 0}})
    expect(described.jobs[1]!.arrayProperties).toEqual({index: 2})
    expect(() => jobs.describe({jobs: Array.from({length: 101}, (_, index) => String(index))})).toThrow(/at most 100/)
  })

  it('refuses reserved AWS_BATCH variables, invalid array sizes and unknown queues', () => {
    const jobs = table()
    expect(() => jobs.submit({jobName: 'a', jobQueue: 'q', jobDefinition: 'worker', containerOverrides: {environment: [{name: 'AWS_BATCH_X', value: '1'}]}}, 1)).toThrow(/AWS_BATCH/)
    expect(() => jobs.submit({jobName: 'a', jobQueue: 'q', jobDefinition: 'worker', arrayProperties: {size: 1}}, 1)).toThrow(/size/)
    expect(() => jobs.submit({jobName: 'a', jobQueue: 'nope', jobDefinition: 'worker'}, 1)).toThrow(/does not exist/)
  })

  it('accepts container overrides over 8192 characters, then fails the job when it starts, without retrying', () => {
    const jobs = table()
    const running = scheduler(jobs)
    try {
      const overrides = {environment: [{name: 'FIRMS', value: 'x'.repeat(9000)}]}
      const {jobId} = jobs.submit({jobName: 'big', jobQueue: 'q', jobDefinition: 'worker', containerOverrides: overrides, retryStrategy: {attempts: 3}}, 1) as {jobId: string}
      running.tick()
      running.tick()
      const job = jobs.get(jobId)
      expect(job).toMatchObject({status: 'FAILED', statusReason: 'Container Overrides length must be at most 8192'})
      expect(job.attempts).toHaveLength(1)
    } finally {
      running.close()
    }
  })
})
