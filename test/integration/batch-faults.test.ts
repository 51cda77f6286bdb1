import {existsSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BatchExecutor} from '../../executors/batch/batch-executor.js'
import type {DryRun} from '../../src/core/dry-run.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import {partitionJobs} from '../../src/core/run/plan-record.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {openStorage} from '../../src/storage/open-storage.js'
import {parseJson, runCli} from '../support/cli.js'
import type {FakeJob} from '../../fakes/fake-batch/jobs.js'
import {startFakeBatch, type FakeBatch} from '../../fakes/fake-batch/server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {onlyRunId, readRecord, waitFor} from '../support/wait-for.js'

// Batch's side of a run under faults: the fake's containers are a small shell script (it says which job and attempt
// it is, and waits while the hold file exists), so these tests exercise ftm's Batch client, not the pipeline.
const awsEnvironment = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_PROFILE: ''}
const holdFile = path.join(temporaryFolder('ftm-hold-'), 'hold')
const script = 'echo "fake worker job $AWS_BATCH_JOB_ID attempt $AWS_BATCH_JOB_ATTEMPT"; while [ -f "$FAKE_HOLD" ]; do sleep 0.05; done'
let fake: FakeBatch

const settings = (): string[] => ['--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off']
const cli = (args: string[], environment: NodeJS.ProcessEnv = {}) => runCli(args, {environment: {...awsEnvironment, ...environment}})
const output = (result: {stdout: string; stderr: string}): string => `${result.stdout}\n${result.stderr}`
const jobsOf = (runId: string): FakeJob[] => [...fake.jobs.jobs.values()].filter((job) => job.jobName.startsWith(`ftm-${runId}-`) && job.parentId === undefined)
const finished = (job: FakeJob): boolean => job.status === 'SUCCEEDED' || job.status === 'FAILED'

function executor(root: string): BatchExecutor {
  Object.assign(process.env, awsEnvironment)
  return new BatchExecutor({storage: openStorage(root)})
}

/** A source of `firms` made-up firms in 2024Q1, one short call each: enough to plan many partitions. */
function manyFirms(firms: number): string {
  const file = path.join(temporaryFolder(), 'calls.csv')
  const rows = Array.from({length: firms}, (_, index) => `${1000 + index},Firm ${index},${5000 + index},1,"We grew revenue this quarter.",2024-01-15,Executives`)
  writeFileSync(file, ['companyid,companyname,transcriptid,componentorder,componenttext,mostimportantdateutc,speakertypename', ...rows].join('\n'))
  return file
}

describe('AWS Batch under faults: throttling, server errors, unreachable endpoints, forgotten jobs (fake)', () => {
  beforeAll(async () => {
    const baseEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FTM_') && !name.startsWith('AWS_BATCH')))
    fake = await startFakeBatch({command: {file: 'sh', arguments: ['-c', script]}, baseEnvironment: {...baseEnvironment, FAKE_HOLD: holdFile}, stopTimeoutSeconds: 1})
    const setup = await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', '--create', '--subnets', 'subnet-1', '--security-groups', 'sg-1', '--instance-role', 'ecsInstanceRole', ...settings(), '--json'])
    expect(setup.exitCode, output(setup)).toBe(0)
  })
  afterAll(async () => {
    await fake?.close()
  })

  it('a server error after 10 of 120 SubmitJobs: the 10 jobs in Batch are in the run record and ftm cancel terminates them all', async () => {
    const root = temporaryFolder()
    fake.scheduler.capacityProblem = 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY'
    fake.fault('SubmitJob', {kind: 'server', after: 10})
    try {
      const started = await cli(['run', '--source', manyFirms(120), '--root', root, '--executor', 'batch', '--partitions', '120', '--parallel', '2', '--detach', ...settings(), '--set', 'batch.apiAttempts=2'])
      expect(started.exitCode, output(started)).toBe(2)
      expect(output(started)).toContain('AWS Batch SubmitJob kept failing at')
      expect(output(started)).toContain('after 2 tries (ServerException')
      expect(output(started)).toContain('10 of 120 partitions were submitted and are in the run record')
      expect(output(started)).not.toContain('bug in ftm')
      const runId = onlyRunId(root)!
      const inBatch = jobsOf(runId)
      expect(inBatch).toHaveLength(10)
      expect(readRecord(root, runId).jobs.map((handle) => handle.id).sort()).toEqual(inBatch.map((job) => job.jobId).sort())
      fake.fault('SubmitJob', {kind: 'server', count: 0})
      const cancelled = await cli(['cancel', runId, '--root', root, '--json'])
      expect(cancelled.exitCode, output(cancelled)).toBe(0)
      expect(jobsOf(runId).map((job) => [job.status, job.isTerminated])).toEqual(Array.from({length: 10}, () => ['FAILED', true]))
    } finally {
      fake.fault('SubmitJob', {kind: 'server', count: 0})
      fake.scheduler.capacityProblem = undefined
    }
    const runId = onlyRunId(root)!

    // DescribeJobs failing until its tries run out: a message naming the service, the operation and what to check.
    fake.fault('DescribeJobs', {kind: 'server', count: 2})
    const status = await cli(['status', runId, '--root', root])
    expect(status.exitCode, output(status)).toBe(2)
    expect(output(status)).toContain(`AWS Batch DescribeJobs kept failing at ${fake.endpoint}`)
    expect(output(status)).toContain('batch.endpoint')
    expect(output(status)).not.toContain('bug in ftm')
  })

  it('three 429s on SubmitJob are waited out with backoff: the run is submitted', async () => {
    const root = temporaryFolder()
    const {file} = sampleSubset({firms: 4, quarters: ['2024Q1']})
    fake.scheduler.capacityProblem = 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY'
    fake.throttle('SubmitJob', 3)
    try {
      const started = await cli(['run', '--source', file, '--root', root, '--executor', 'batch', '--partitions', '2', '--parallel', '2', '--detach', ...settings(), '--json'])
      expect(started.exitCode, output(started)).toBe(0)
      const runId = parseJson<{runId: string}>(started).runId
      expect(fake.calls.filter((call) => call.operation === 'SubmitJob' && String(call.body.jobName).includes(runId))).toHaveLength(4)
      expect(jobsOf(runId)).toHaveLength(1)
      expect(readRecord(root, runId).jobs).toHaveLength(2)
      expect((await cli(['cancel', runId, '--root', root])).exitCode).toBe(0)
    } finally {
      fake.scheduler.capacityProblem = undefined
    }
  })

  it('an unresolvable endpoint and a disabled queue are clear messages, and leave no run record behind', async () => {
    const {file} = sampleSubset({firms: 2, quarters: ['2024Q1']})
    const root = temporaryFolder()
    const common = ['run', '--source', file, '--root', root, '--executor', 'batch', '--partitions', '1', '--detach', '--set', 'batch.apiAttempts=2']
    const unresolvable = await cli([...common, '--set', 'batch.endpoint=http://ftm-no-such-host.invalid'])
    expect(unresolvable.exitCode, output(unresolvable)).toBe(2)
    expect(output(unresolvable)).toMatch(/AWS Batch DescribeJobDefinitions failed: cannot (resolve the host|connect)/)
    expect(output(unresolvable)).toContain('AWS_ENDPOINT_URL_BATCH')
    expect(output(unresolvable)).not.toContain('bug in ftm')
    expect(onlyRunId(root)).toBeUndefined()

    const queue = fake.resources.queue('ftm-spot')!
    queue.state = 'DISABLED'
    try {
      const disabled = await cli([...common, ...settings()])
      expect(disabled.exitCode, output(disabled)).toBe(2)
      expect(output(disabled)).toContain('The job queue ftm-spot is DISABLED/VALID')
      expect(onlyRunId(root)).toBeUndefined()
    } finally {
      queue.state = 'ENABLED'
    }
  })

  it("the dry run's endpoint is the one AWS_ENDPOINT_URL_BATCH sets", async () => {
    const {file} = sampleSubset({firms: 2, quarters: ['2024Q1']})
    const dry = await cli(['run', '--source', file, '--root', temporaryFolder(), '--executor', 'batch', '--partitions', '1', '--dry-run', '--json'], {AWS_ENDPOINT_URL_BATCH: fake.endpoint})
    expect(dry.exitCode, output(dry)).toBe(0)
    expect((parseJson<DryRun>(dry).requests as {endpoint: unknown}).endpoint).toEqual({region: 'us-east-1', endpoint: fake.endpoint})
  })

  it("Batch's own reason (CannotPullContainerError) is shown as Batch states it", async () => {
    const {file} = sampleSubset({firms: 2, quarters: ['2024Q1']})
    const root = temporaryFolder()
    fake.scheduler.unpullableImages.add('ftm-pipeline:test')
    try {
      const started = await cli(['run', '--source', file, '--root', root, '--executor', 'batch', '--partitions', '1', '--detach', ...settings(), '--json'])
      expect(started.exitCode, output(started)).toBe(0)
      const runId = parseJson<{runId: string}>(started).runId
      await waitFor(() => (jobsOf(runId).every(finished) ? true : undefined))
      const report = parseJson<RunStatusReport>(await cli(['status', runId, '--root', root, '--json']))
      expect(report.partitions[0]).toMatchObject({phase: 'failed'})
      expect(report.partitions[0]!.reason).toMatch(/^Batch: Task failed to start; attempt 1: Task failed to start; CannotPullContainerError: pull image manifest/)
      // Forgotten by Batch with no log stream ever noted: ftm logs says where to look instead of printing nothing.
      fake.jobs.forget(jobsOf(runId).map((job) => job.jobId))
      const logs = await cli(['logs', runId, '--root', root])
      expect(logs.exitCode, output(logs)).toBe(0)
      expect(logs.stdout).toContain('Batch no longer knows this job and ftm noted none of its log streams: look for them in the CloudWatch Logs group /aws/batch/job')
    } finally {
      fake.scheduler.unpullableImages.clear()
    }
  })

  it('Spot reclaims count per partition in ftm status; ftm logs reads every attempt of every job in order, also once Batch forgot them', async () => {
    const {file} = sampleSubset({firms: 4, quarters: ['2024Q1']})
    const root = temporaryFolder()
    writeFileSync(holdFile, '')
    try {
      const started = await cli(['run', '--source', file, '--root', root, '--executor', 'batch', '--partitions', '2', '--parallel', '2', '--detach', ...settings(), '--json'])
      expect(started.exitCode, output(started)).toBe(0)
      const runId = parseJson<{runId: string}>(started).runId
      const child = await waitFor(() => [...fake.jobs.jobs.values()].find((job) => job.jobName === `ftm-${runId}-2024Q1` && job.index === 0 && job.status === 'RUNNING'))
      fake.scheduler.interruptSpot(child.jobId)
      await waitFor(() => (child.status === 'RUNNING' && child.attempts.length === 1 ? true : undefined))
    } finally {
      rmSync(holdFile, {force: true})
    }
    const runId = onlyRunId(root)!
    await waitFor(() => (jobsOf(runId).every(finished) ? true : undefined))
    const report = parseJson<RunStatusReport>(await cli(['status', runId, '--root', root, '--json']))
    expect(report.partitions.map((partition) => partition.interruptions)).toEqual([1, 0])
    expect(report.totals.interruptions).toBe(1)
    expect((await cli(['status', runId, '--root', root])).stdout).toContain('2 (1 Spot)')

    // A second submission of the same partitions (as a resume makes): both jobs' logs, the older first.
    const record = readRecord(root, runId) as RunRecord
    await executor(root).submit(record, partitionJobs(openStorage(root), record))
    await waitFor(() => (jobsOf(runId).length === 2 && jobsOf(runId).every(finished) ? true : undefined))
    expect((await cli(['status', runId, '--root', root])).exitCode).toBe(0)
    const [first, second] = jobsOf(runId).sort((a, b) => a.createdAt - b.createdAt)
    const logs = await cli(['logs', runId, '--root', root, '--partition', '0'])
    expect(logs.exitCode, output(logs)).toBe(0)
    const lines = logs.stdout.split('\n').filter((line) => /===|---|fake worker/.test(line))
    expect(lines.map((line) => line.replace(/^.*?(===|---|fake worker)/, '$1').replace(/\(ftm-worker\/default\/\w+\)/, '(stream)'))).toEqual([
      `=== job 1 of 2: ${first!.jobId}:0 ===`,
      '--- attempt 1 (stream) ---',
      `fake worker job ${first!.jobId}:0 attempt 1`,
      '--- attempt 2 (stream) ---',
      `fake worker job ${first!.jobId}:0 attempt 2`,
      `=== job 2 of 2: ${second!.jobId}:0 ===`,
      '--- attempt 1 (stream) ---',
      `fake worker job ${second!.jobId}:0 attempt 1`,
    ])
    fake.jobs.forget([first!.jobId, second!.jobId])
    const afterForgetting = await cli(['logs', runId, '--root', root, '--partition', '0'])
    expect(afterForgetting.exitCode, output(afterForgetting)).toBe(0)
    expect(afterForgetting.stdout).toBe(logs.stdout)
    expect(existsSync(holdFile)).toBe(false)
  })
})
