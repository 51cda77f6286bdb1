import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createBatchClients, type BatchClients} from '../../../../executors/batch/clients.js'
import {findRunJobs, findSubmittedJob, submissionTag} from '../../../../executors/batch/jobs-by-name.js'
import {jobName} from '../../../../executors/batch/submission.js'
import {startFakeBatch, type FakeBatch} from '../../../../fakes/fake-batch/server.js'

let fake: FakeBatch
let clients: BatchClients
const runId = '20261202-070000-ab12'

beforeAll(async () => {
  Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'})
  fake = await startFakeBatch()
  fake.scheduler.paused = true // the jobs only need to exist
  fake.resources.createEnvironment({computeEnvironmentName: 'ce', type: 'MANAGED', computeResources: {type: 'SPOT'}})
  fake.resources.createQueue({jobQueueName: 'q', priority: 1, computeEnvironmentOrder: [{order: 1, computeEnvironment: 'ce'}]})
  fake.resources.register({jobDefinitionName: 'worker', type: 'container', containerProperties: {image: 'i'}})
  clients = createBatchClients({region: fake.region, endpoint: fake.endpoint, apiAttempts: 3})
})
afterAll(async () => {
  await fake?.close()
})

/** A job in the fake's queue (created as SubmitJob would; the SDK's SubmitJob path is tested in batch-jobs-by-name). */
const submit = async (name: string, extra: Record<string, unknown> = {}) => fake.jobs.submit({jobName: name, jobQueue: 'q', jobDefinition: 'worker', ...extra}, Date.now()) as {jobId: string}

describe("a run's Batch jobs found by name, through the SDK client", () => {
  it('lists every page and maps names back to partitions: array jobs, single jobs, not other runs or the themes job', async () => {
    const array = await submit(jobName(runId, '2024Q1'), {arrayProperties: {size: 3}})
    const singles: {jobId: string}[] = []
    for (let partition = 0; partition < 130; partition++) singles.push(await submit(`${jobName(runId, '2024Q2')}-p${String(partition).padStart(5, '0')}`))
    await submit(`${jobName(runId, '2024Q1')}-themes`)
    await submit(`${jobName('20261202-070000-ab13', '2024Q1')}-p00000`)
    const calls = fake.calls.length

    const found = await findRunJobs(clients.batch, 'q', runId, ['2024Q1', '2024Q2'])

    // A JOB_NAME filter pages by 100: two ListJobs calls for 132 jobs
    expect(fake.calls.slice(calls).filter((call) => call.operation === 'ListJobs')).toHaveLength(2)
    expect(found).toHaveLength(131)
    expect(found.find((job) => job.jobId === array.jobId)).toMatchObject({quarter: '2024Q1', partitions: [0, 1, 2], array: true})
    const single = found.find((job) => job.jobId === singles[17]!.jobId)
    expect(single).toMatchObject({quarter: '2024Q2', partitions: [17], array: false})
  })

  it('finds the job one SubmitJob request created by its own tag, not an earlier job of the same name', async () => {
    const name = `${jobName(runId, '2024Q3')}-p00000`
    await submit(name, {tags: {[submissionTag]: 'earlier-request'}})
    expect(await findSubmittedJob(clients.batch, {jobName: name, jobQueue: 'q', jobDefinition: 'worker', tags: {[submissionTag]: 'this-request'}})).toBeUndefined()
    const created = await submit(name, {tags: {[submissionTag]: 'this-request'}})
    expect(await findSubmittedJob(clients.batch, {jobName: name, jobQueue: 'q', jobDefinition: 'worker', tags: {[submissionTag]: 'this-request'}})).toMatchObject({jobId: created.jobId, jobName: name})
  })
})
