import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import {parseJson, runCli} from '../support/cli.js'
import type {FakeBatch} from '../../fakes/fake-batch/server.js'
import {type BatchOnS3, startBatchOnS3} from '../support/batch-on-s3.js'
import type {S3Server} from '../support/s3-server.js'
import {sampleSubset} from '../support/sample-subset.js'

const quarter = '2024Q1'

// The ADR's setup: run record, manifests, progress and Parquet on S3 (s3rver), jobs on Batch (the fake, which runs
// each attempt as an `ftm worker` process that reaches S3 through the instance's environment).
describe('AWS Batch with storage on S3: cancel a running run, then resume it', () => {
  let setup: BatchOnS3
  let s3: S3Server
  let fake: FakeBatch
  let environment: Record<string, string>
  const root = 's3://ftm-batch/output'
  const settings = (): string[] => setup.settings()

  beforeAll(async () => {
    setup = await startBatchOnS3()
    ;({s3, fake, environment} = setup)
  })
  afterAll(async () => {
    await setup?.close()
  })

  it('ftm cancel terminates running jobs (not retried although the worker exits 143); --resume finishes every firm once', async () => {
    const {file, firmIds} = sampleSubset({firms: 24, quarters: [quarter]})
    const started = await runCli(['run', '--source', file, '--root', root, '--executor', 'batch', '--parallel', '2', '--partitions', '2', '--checkpoint-interval', '2', '--detach', ...settings(), '--json'], {environment})
    expect(started.exitCode, started.stdout + started.stderr).toBe(0)
    const runId = parseJson<{runId: string}>(started).runId
    // When a worker has finished a firm (its log says so in CloudWatch)
    for (;;) {
      const done = [...fake.jobs.jobs.values()].some((job) => job.current?.container.logStreamName && fake.logs.lines('/aws/batch/job', job.current.container.logStreamName).some((line) => / ok: /.test(line)))
      if (done) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const cancelled = await runCli(['cancel', runId, '--root', root, '--json'], {environment})
    expect(cancelled.exitCode, cancelled.stdout + cancelled.stderr).toBe(0)
    const children = [...fake.jobs.jobs.values()].filter((job) => job.parentId !== undefined && job.jobName === `ftm-${runId}-${quarter}`)
    expect(children).toHaveLength(2)
    for (const child of children) {
      expect(child.status).toBe('FAILED')
      expect(child.statusReason).toMatch(/^Cancelled by ftm/)
      expect(child.attempts.length).toBeLessThanOrEqual(1)
    }
    expect(children.some((child) => child.attempts[0]?.container.exitCode === 143)).toBe(true)
    const status = parseJson<{status: string; partitions: {phase: string}[]}>(await runCli(['status', runId, '--root', root, '--json'], {environment}))
    expect(status.status).toBe('cancelled')
    expect(status.partitions.map((partition) => partition.phase)).toEqual(['cancelled', 'cancelled'])

    const resumed = await runCli(['run', '--resume', runId, '--root', root, '--json'], {environment})
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    const sql = 'SELECT count(*) AS rows, count(DISTINCT firm_id) AS firms, sum(CASE WHEN status = \'ok\' THEN 1 ELSE 0 END) AS ok FROM firms'
    const counts = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'], {environment})).query!.rows[0]!
    expect(counts).toMatchObject({rows: String(firmIds.length), firms: String(firmIds.length), ok: String(firmIds.length)})
    expect(s3.requests.some((request) => request.includes(`/ftm-batch/output/runs/${runId}/progress/${quarter}/part-00001.json`))).toBe(true)
  })
})
