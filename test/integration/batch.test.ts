import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BatchExecutor} from '../../executors/batch/batch-executor.js'
import {createBatchClients} from '../../executors/batch/clients.js'
import {describeJobs} from '../../executors/batch/describe-jobs.js'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import {loadConfig} from '../../src/core/config/load-config.js'
import type {DryRun} from '../../src/core/dry-run.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {openStorage} from '../../src/storage/open-storage.js'
import {parseJson, runCli, startCli} from '../support/cli.js'
import {startFakeBatch, type FakeBatch} from '../../fakes/fake-batch/server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {onlyRunId, readPartitionProgress, readRecord, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
// Dummy credentials: the real SDK signs its requests; the fake ignores the signature.
const awsEnvironment = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_PROFILE: ''}
let fake: FakeBatch

const settings = (): string[] => ['--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off']
const cli = (args: string[]) => runCli(args, {environment: awsEnvironment})

async function firmCounts(root: string, runId: string): Promise<Record<string, string>> {
  const sql = `SELECT (SELECT count(*) FROM firms) AS firm_rows, (SELECT count(DISTINCT firm_id) FROM firms) AS firms,
    (SELECT count(*) FROM sentences) AS sentence_rows, (SELECT count(DISTINCT (firm_id, sentence_index)) FROM sentences) AS sentences`
  const result = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json']))
  return result.query!.rows[0] as Record<string, string>
}

function executor(root: string): BatchExecutor {
  Object.assign(process.env, awsEnvironment)
  return new BatchExecutor({storage: openStorage(root)})
}

describe('AWS Batch executor against the wire-level fake (real SDK clients)', () => {
  beforeAll(async () => {
    fake = await startFakeBatch()
  })
  afterAll(async () => {
    await fake?.close()
  })

  it('batch setup registers the job definition once, creates the Spot queue, and a second setup changes nothing', async () => {
    const create = ['--create', '--subnets', 'subnet-1', '--security-groups', 'sg-1', '--instance-role', 'ecsInstanceRole']
    const dry = parseJson<{requests: {operation: string; input: unknown}[]}>(await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...create, ...settings(), '--dry-run', '--json']))
    expect(dry.requests.map((request) => request.operation)).toEqual(['RegisterJobDefinition', 'CreateComputeEnvironment', 'CreateJobQueue'])
    expect(fake.calls).toEqual([])
    const first = await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...create, ...settings(), '--json'])
    expect(first.exitCode, first.stdout + first.stderr).toBe(0)
    const outcome = parseJson<{jobDefinition: {registered: boolean; revision: number}; requests: {operation: string}[]; problems: string[]}>(first)
    expect(outcome.jobDefinition).toMatchObject({registered: true, revision: 1})
    expect(outcome.requests.map((request) => request.operation)).toEqual(['RegisterJobDefinition', 'CreateComputeEnvironment', 'CreateJobQueue'])
    expect(outcome.problems).toEqual([])
    const registered = fake.calls.find((call) => call.operation === 'RegisterJobDefinition')!.body
    expect(registered).toEqual(dry.requests[0]!.input)
    expect(registered.retryStrategy).toEqual({
      attempts: 3,
      evaluateOnExit: [
        {onStatusReason: 'Host EC2*', action: 'RETRY'},
        {onExitCode: '75', action: 'RETRY'},
        {onExitCode: '143', action: 'RETRY'},
        {onReason: '*', action: 'EXIT'},
      ],
    })
    expect(fake.resources.environment('ftm-spot-gpu')).toMatchObject({computeResources: {type: 'SPOT', allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', ec2Configuration: [{imageType: 'ECS_AL2023_NVIDIA'}]}})

    const second = parseJson<{jobDefinition: {registered: boolean; revision: number}; requests: unknown[]}>(await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...create, ...settings(), '--json']))
    expect(second.jobDefinition).toMatchObject({registered: false, revision: 1})
    expect(second.requests).toEqual([])
    expect(fake.resources.definitions).toHaveLength(1)
    // A changed setting is a new revision.
    const third = parseJson<{jobDefinition: {registered: boolean; revision: number}}>(await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...settings(), '--set', 'batch.vcpus=8', '--json']))
    expect(third.jobDefinition).toMatchObject({registered: true, revision: 2})
    await cli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...settings(), '--json'])
  })

  it('runs 5 partitions as one array job; --dry-run printed exactly the SubmitJob payload; logs come from CloudWatch', async () => {
    const {file, firmIds} = sampleSubset({firms: 10, quarters: [quarter]})
    const root = temporaryFolder()
    const common = ['--source', file, '--root', root, '--executor', 'batch', '--parallel', '5', '--partitions', '5', ...settings()]
    const dry = parseJson<DryRun>(await cli(['run', ...common, '--dry-run', '--json']))
    const planned = (dry.requests as {submitJob: Record<string, unknown>[]}).submitJob
    expect(planned).toHaveLength(1)
    expect(JSON.stringify(planned[0]!.containerOverrides).length).toBeLessThan(8192)
    expect(onlyRunId(root)).toBeUndefined()

    const submitted = fake.calls.length
    const result = await cli(['run', ...common, '--json'])
    expect(result.exitCode, diagnose(result.stdout)).toBe(0)
    const run = parseJson<RunResult>(result)
    expect(run.status).toBe('succeeded')
    const sent = fake.calls.slice(submitted).filter((call) => call.operation === 'SubmitJob')
    expect(sent).toHaveLength(1)
    // The same request, member for member (the SDK orders members as its model does).
    // Only the submission tag differs: a UUID per request, a placeholder in the dry run.
    const sentBody = JSON.stringify(sent[0]!.body).replaceAll(run.runId, 'RUN').replace(/"ftm-submission":"[0-9a-f-]{36}"/, '"ftm-submission":"<a new UUID per request>"')
    expect(JSON.parse(sentBody)).toEqual(JSON.parse(JSON.stringify(planned[0]).replaceAll(dry.runId, 'RUN')))
    expect(sent[0]!.body).toMatchObject({arrayProperties: {size: 5}, jobName: `ftm-${run.runId}-${quarter}`, tags: {'ftm-run-id': run.runId}})
    for (const call of fake.calls.filter((entry) => entry.operation === 'DescribeJobs')) expect((call.body.jobs as string[]).length).toBeLessThanOrEqual(100)
    const counts = await firmCounts(root, run.runId)
    expect(counts).toMatchObject({firm_rows: String(firmIds.length), firms: String(firmIds.length)})
    expect(counts.sentence_rows).toBe(counts.sentences)
    for (let partition = 0; partition < 5; partition++) expect(readPartitionProgress(root, quarter, partition)).toMatchObject({phase: 'done', attempt: 1})

    const logs = await cli(['logs', run.runId, '--root', root, '--partition', '3'])
    expect(logs.exitCode, logs.stderr).toBe(0)
    expect(logs.stdout).toContain('--- attempt 1 (ftm-worker/default/')
    expect(logs.stdout).toContain(`${quarter} partition 3`)
  })

  it('a Spot interruption mid-partition is retried and resumes from its checkpoint: every firm exactly once', async () => {
    const {file, firmIds} = sampleSubset({firms: 14, quarters: [quarter]})
    const root = temporaryFolder()
    const running = startCli(['run', '--source', file, '--root', root, '--executor', 'batch', '--parallel', '2', '--partitions', '2', '--checkpoint-interval', '3', '--set', 'worker.progressIntervalSeconds=0', ...settings(), '--json'], {environment: awsEnvironment})
    const observed = await waitFor(() => {
      const progress = readPartitionProgress(root, quarter, 0)
      return progress && progress.firmsCommitted >= 3 && progress.firmsProcessed > progress.firmsCommitted ? progress : undefined
    }, 5, running)
    const child = [...fake.jobs.jobs.values()].find((job) => job.jobName === `ftm-${observed.runId}-${quarter}` && job.index === 0)!
    const reason = fake.scheduler.interruptSpot(child.jobId)
    const finished = await running
    const result = {exitCode: finished.exitCode ?? -1, stdout: String(finished.stdout), stderr: String(finished.stderr)}
    expect(result.exitCode, diagnose(result.stdout)).toBe(0)
    expect(parseJson<RunResult>(result).status).toBe('succeeded')
    // The reclaim stays visible after success: per partition in the summary's JSON and in ftm status.
    expect(parseJson<RunResult>(result).interruptions).toEqual([{quarter, partition: 0, count: 1}])
    expect(child.attempts).toHaveLength(2)
    expect(child.attempts[0]).toMatchObject({statusReason: reason})
    expect(child.attempts[0]!.container.exitCode).toBeUndefined()
    const final = readPartitionProgress(root, quarter, 0)!
    // Redone at most one checkpoint's worth: the retry resumed from what the first attempt committed.
    expect(final).toMatchObject({attempt: 2, phase: 'done'})
    expect(final.firmsResumed).toBeGreaterThanOrEqual(observed.firmsProcessed - 3)
    const counts = await firmCounts(root, observed.runId)
    expect(counts).toMatchObject({firm_rows: String(firmIds.length), firms: String(firmIds.length)})
    expect(counts.sentence_rows).toBe(counts.sentences)

    const record = readRecord(root, observed.runId)
    const [state] = await executor(root).status(record.jobs.filter((handle) => handle.partition === 0))
    expect(state).toMatchObject({phase: 'succeeded', attempts: 2, interruptions: 1})
    const lines: string[] = []
    for await (const line of executor(root).logs(record.jobs[0]!, {follow: true})) lines.push(line)
    expect(lines.filter((line) => line.startsWith('--- attempt '))).toHaveLength(2)
    expect(lines.some((line) => line.includes('(attempt 2)'))).toBe(true)
  })

  it('a worker failing deterministically (circuit breaker, exit 3) is not retried and fails the run', async () => {
    const {file} = sampleSubset({firms: 4, quarters: [quarter]})
    const root = temporaryFolder()
    const result = await cli(['run', '--source', file, '--root', root, '--executor', 'batch', '--partitions', '1', ...settings(),
      '--set', 'pipeline.minSentences=100000', '--set', 'worker.breakerConsecutiveFailures=1', '--json'])
    expect(result.exitCode).toBe(1)
    const run = parseJson<RunResult>(result)
    expect(run.status).toBe('failed')
    const job = [...fake.jobs.jobs.values()].find((candidate) => candidate.jobName.startsWith(`ftm-${run.runId}-`))!
    expect(job.status).toBe('FAILED')
    expect(job.attempts).toHaveLength(1)
    expect(job.attempts[0]!.container.exitCode).toBe(3)
    const [state] = await executor(root).status(readRecord(root, run.runId).jobs)
    expect(state).toMatchObject({phase: 'failed', exitCode: 3, attempts: 1, interruptions: 0})
    expect(state!.reason).toContain('circuit breaker')
  })

  it('reports jobs stuck in RUNNABLE with the queue reason; cancel terminates them, and cancelling again is a no-op', async () => {
    const {file} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder()
    fake.scheduler.capacityProblem = 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY'
    try {
      const started = await cli(['run', '--source', file, '--root', root, '--executor', 'batch', '--parallel', '2', '--partitions', '3', '--detach', ...settings(), '--set', 'batch.stuckRunnableMinutes=0.001', '--json'])
      expect(started.exitCode, started.stderr).toBe(0)
      const runId = parseJson<{runId: string}>(started).runId
      const record = readRecord(root, runId)
      // 3 partitions, --parallel 2: two chains of plain jobs, the third waiting for the first.
      const submits = fake.calls.filter((call) => call.operation === 'SubmitJob' && String(call.body.jobName).includes(runId))
      expect(submits.map((call) => (call.body.dependsOn as unknown[] | undefined)?.length ?? 0)).toEqual([0, 0, 1])
      const states = await pollStuck(root, record.jobs)
      expect(states.reason).toContain('CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY')
      expect(states.reason).toContain('queue ftm-spot ENABLED/VALID')

      const cancelled = await cli(['cancel', runId, '--root', root, '--json'])
      expect(cancelled.exitCode, cancelled.stdout + cancelled.stderr).toBe(0)
      expect(readRecord(root, runId).status).toBe('cancelled')
      const after = await executor(root).status(record.jobs)
      expect(after.map((state) => state.phase)).toEqual(['cancelled', 'cancelled', 'cancelled'])
      const terminations = fake.calls.filter((call) => call.operation === 'TerminateJob').length
      await executor(root).cancel(record.jobs)
      expect(fake.calls.filter((call) => call.operation === 'TerminateJob').length).toBe(terminations + 3)
      expect((await executor(root).status(record.jobs)).map((state) => state.phase)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    } finally {
      fake.scheduler.capacityProblem = undefined
    }
  })

  it('DescribeJobs backs off while throttled (HTTP 429) and still answers', async () => {
    const root = temporaryFolder()
    const job = [...fake.jobs.jobs.values()].find((candidate) => candidate.status === 'SUCCEEDED')!
    fake.throttle('DescribeJobs', 5)
    const handle = {executor: 'batch', runId: 'x', quarter, partition: 0, id: job.jobId, region: 'us-east-1', endpoint: fake.endpoint, jobQueue: 'ftm-spot', logGroup: '/aws/batch/job', stuckRunnableMinutes: 0}
    const [state] = await executor(root).status([handle])
    expect(state!.phase).toBe('succeeded')
  })

  it('array children not spawned yet are pending; cancelled before they exist, they are cancelled', async () => {
    const root = temporaryFolder()
    const {config} = loadConfig({cwd: root, environment: {}, assignments: [`batch.endpoint=${fake.endpoint}`], flags: {values: {root, parallel: 3}, names: {}}})
    const record = {id: '20261128-120000-abcd', config, executor: {name: 'batch', parallel: 3}} as RunRecord
    const jobs = [0, 1, 2].map((partition) => ({runId: record.id, quarter, partition, runRecordLocation: `${root}/runs/${record.id}/run.json`}))
    fake.scheduler.paused = true
    try {
      const handles = await executor(root).submit(record, jobs)
      const pending = await executor(root).status(handles)
      expect(pending.map((state) => [state.phase, state.backendStatus])).toEqual(Array.from({length: 3}, () => ['pending', 'SUBMITTED (array job, children not spawned yet)']))
      await executor(root).cancel(handles)
      const cancelled = await executor(root).status(handles)
      expect(cancelled.map((state) => state.phase)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    } finally {
      fake.scheduler.paused = false
    }
  })

  it('DescribeJobs asks for at most 100 ids at a time; ids Batch does not know are left out', async () => {
    const before = fake.calls.length
    const ids = [...Array.from({length: 249}, (_, index) => `forgotten-${index}`), [...fake.jobs.jobs.keys()][0]!]
    const found = await describeJobs(createBatchClients({region: 'us-east-1', endpoint: fake.endpoint}).batch, ids)
    expect([...found.keys()]).toEqual([ids[249]])
    expect(fake.calls.slice(before).map((call) => (call.body.jobs as string[]).length)).toEqual([100, 100, 50])
  })
})

/** The CLI's output and every fake job's state and attempts, for a failure message. */
function diagnose(stdout: string): string {
  const jobs = [...fake.jobs.jobs.values()].map((job) => `${job.jobId} ${job.status} ${job.statusReason ?? ''} ${JSON.stringify(job.attempts)}`)
  const logs = [...fake.jobs.jobs.values()].flatMap((job) => job.attempts.slice(-1).map((attempt) => fake.logs.lines('/aws/batch/job', attempt.container.logStreamName ?? '').slice(-5).join('\n')))
  return [stdout, ...jobs, ...logs].join('\n')
}

async function pollStuck(root: string, jobs: ReturnType<typeof readRecord>['jobs']): Promise<{reason: string}> {
  for (;;) {
    const states = await executor(root).status(jobs)
    const stuck = states.find((state) => state.reason?.startsWith('RUNNABLE for'))
    if (stuck) return {reason: stuck.reason!}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
