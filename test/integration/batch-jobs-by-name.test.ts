import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {DetachedRunResult, RunResult} from '../../src/commands/run.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {FakeChatServer} from '../../fakes/fake-chat-server.js'
import {startFakeBatch, type FakeBatch} from '../../fakes/fake-batch/server.js'
import {parseJson, runCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {countRows, expectFirmsOnce} from '../support/table-counts.js'
import {readPartitionProgress, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const awsEnvironment = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_PROFILE: ''}
/** Real milliseconds per second of a Batch attempt timeout: Batch's 60 s minimum lasts 3 s here. */
const timeoutMsPerSecond = 50
let fake: FakeBatch
let llm: FakeChatServer

const cli = (args: string[]) => runCli(args, {environment: awsEnvironment})
const batchFlags = (): string[] => ['--executor', 'batch', '--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off']
const callsOf = (operation: string): number => fake.calls.filter((call) => call.operation === operation).length
/** Jobs in the fake's queue whose name carries the run id (array children are not jobs of the queue). */
const jobsOfRun = (runId: string) => [...fake.jobs.jobs.values()].filter((job) => job.jobName.includes(runId) && job.parentId === undefined)

/** Removes a run's jobs from its record and journal: what a crash between SubmitJob returning and those writes leaves. */
function forgetSubmittedJobs(root: string, runId: string): void {
  const file = path.join(root, 'runs', runId, 'run.json')
  const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord
  writeFileSync(file, `${JSON.stringify({...record, jobs: []}, null, 2)}\n`)
  rmSync(path.join(root, 'runs', runId, 'batch-jobs'), {recursive: true, force: true})
}

describe('Batch jobs found by name (issue 19)', () => {
  beforeAll(async () => {
    fake = await startFakeBatch({timeoutMsPerSecond})
    // Every naming waits 300 ms: jobs are still at work when the test acts on them.
    llm = await FakeChatServer.start({latencyMs: 300})
  })
  afterAll(async () => {
    await fake?.close()
    await llm?.close()
  })

  const setup = async (extra: string[] = []): Promise<void> => {
    const create = ['--create', '--subnets', 'subnet-1', '--security-groups', 'sg-1', '--instance-role', 'ecsInstanceRole']
    const result = await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...create, '--set', `batch.endpoint=${fake.endpoint}`, ...extra, '--json'])
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
  }
  const paced = (): string[] => ['--set', `llm.baseUrl=${llm.url}`, '--set', 'llm.model=pace', '--checkpoint-interval', '1']

  it('a resume finds the running jobs the record lost by name and watches them: nothing submitted twice, every firm once', async () => {
    // Given a detached run whose jobs are at work, but missing from its record and journal (a crash mid-submission)
    await setup()
    const {file, firmIds} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder()
    const detached = await cli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '2', ...paced(), ...batchFlags(), '--detach', '--json'])
    expect(detached.exitCode, detached.stderr).toBe(0)
    const {runId} = parseJson<DetachedRunResult>(detached)
    forgetSubmittedJobs(root, runId)
    const submits = callsOf('SubmitJob')

    // When it is resumed while they run
    const resumed = await cli(['run', '--resume', runId, '--root', root, '--json'])

    // Then the resume listed the run's jobs by name, watched them to their end and submitted nothing
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    expect(fake.calls.some((call) => call.operation === 'ListJobs' && JSON.stringify(call.body.filters).includes(`ftm-${runId}-*`))).toBe(true)
    expect(callsOf('SubmitJob')).toBe(submits)
    expect(jobsOfRun(runId)).toHaveLength(1)
    for (const partition of [0, 1]) expect(readPartitionProgress(root, quarter, partition)).toMatchObject({phase: 'done', attempt: 1, firmsResumed: 0})
    // and the found job is in the record and the journal again: logs and cancel see it
    const record = JSON.parse(readFileSync(path.join(root, 'runs', runId, 'run.json'), 'utf8')) as RunRecord
    expect(record.jobs.map((job) => job.id)).toEqual([`${jobsOfRun(runId)[0]!.jobId}:0`, `${jobsOfRun(runId)[0]!.jobId}:1`])
    expectFirmsOnce(await countRows(root, runId), firmIds.length)
  })

  it('cancel stops the jobs the record lost, found by name', async () => {
    // Given a detached run whose running jobs are missing from its record and journal
    await setup()
    const {file} = sampleSubset({firms: 8, quarters: [quarter]})
    const root = temporaryFolder()
    const detached = await cli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '2', ...paced(), ...batchFlags(), '--detach', '--json'])
    expect(detached.exitCode, detached.stderr).toBe(0)
    const {runId} = parseJson<DetachedRunResult>(detached)
    forgetSubmittedJobs(root, runId)
    const [job] = jobsOfRun(runId)

    // When the run is cancelled
    const cancelled = await cli(['cancel', runId, '--root', root, '--json'])

    // Then Batch was told to stop that job, and the run is cancelled
    expect(cancelled.exitCode, cancelled.stdout + cancelled.stderr).toBe(0)
    expect(fake.calls.filter((call) => call.operation === 'TerminateJob').map((call) => call.body.jobId)).toContain(job!.jobId)
    await waitFor(() => (job!.status === 'FAILED' ? true : undefined))
    const status = parseJson<RunStatusReport>(await cli(['status', runId, '--root', root, '--json']))
    expect(status.status).toBe('cancelled')
  })

  it('a SubmitJob answered with a 500 after it created its job is not sent again: the job is found by name', async () => {
    // Given a Batch API that creates the job and then answers 500 ServerException
    await setup()
    const {file, firmIds} = sampleSubset({firms: 4, quarters: [quarter]})
    const root = temporaryFolder()
    const submits = callsOf('SubmitJob')
    fake.fault('SubmitJob', {kind: 'server', count: 1, tookEffect: true})

    // When a run is submitted
    const result = await cli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '2', ...batchFlags(), '--json'])

    // Then the one job that exists was found and watched; no second job was submitted
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    const run = parseJson<RunResult>(result)
    expect(run.status).toBe('succeeded')
    expect(callsOf('SubmitJob')).toBe(submits + 1)
    expect(jobsOfRun(run.runId)).toHaveLength(1)
    expectFirmsOnce(await countRows(root, run.runId), firmIds.length)
  })

  it("an attempt that exceeds the job's timeout shows Batch's reason in the run's summary, status and --json", async () => {
    // Given a job definition with Batch's shortest timeout (60 s, 3 s in this fake) and a partition that takes longer
    await setup(['--set', 'batch.timeoutSeconds=60'])
    const {file} = sampleSubset({firms: 30, quarters: [quarter]})
    const root = temporaryFolder()

    // When it runs
    const result = await cli(['run', '--source', file, '--root', root, '--partitions', '1', ...paced(), ...batchFlags(), '--json'])

    // Then the run failed with Batch's own words, whatever the worker said on its way out
    expect(result.exitCode, result.stdout + result.stderr).toBe(1)
    const run = parseJson<RunResult>(result)
    expect(run.status).toBe('failed')
    expect(run.reason).toContain('Job attempt duration exceeded timeout')
    const status = parseJson<RunStatusReport>(await cli(['status', run.runId, '--root', root, '--json']))
    expect(status.partitions[0]).toMatchObject({phase: 'failed'})
    expect(status.partitions[0]!.reason).toMatch(/^Batch: Job attempt duration exceeded timeout/)
    const text = await cli(['status', run.runId, '--root', root])
    expect(text.stdout).toContain('Job attempt duration exceeded timeout')
    // A timeout is not retried
    expect(status.partitions[0]!.attempt).toBe(1)
  })
})
