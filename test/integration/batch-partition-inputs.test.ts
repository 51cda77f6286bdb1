import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import {S3Storage} from '../../src/storage/s3-storage.js'
import {s3SettingsFromEnvironment} from '../../src/storage/storage-schema.js'
import type {FakeBatch} from '../../fakes/fake-batch/server.js'
import {parseJson, runCli} from '../support/cli.js'
import {type BatchOnS3, startBatchOnS3} from '../support/batch-on-s3.js'
import type {S3Server} from '../support/s3-server.js'
import {sampleSubset} from '../support/sample-subset.js'

const quarter = '2024Q1'

// The ADR's setup with the source on S3 too: a Batch job must download its partition's input, never the whole file.
describe('AWS Batch with an S3 root: each job reads only its partition input (issue 22, item 4)', () => {
  let setup: BatchOnS3
  let s3: S3Server
  let fake: FakeBatch
  let environment: Record<string, string>
  const settings = (): string[] => setup.settings()

  beforeAll(async () => {
    setup = await startBatchOnS3()
    ;({s3, fake, environment} = setup)
    Object.assign(process.env, s3.environment) // the test's own S3 client (uploading the source) signs as s3rver's account
  })
  afterAll(async () => {
    await setup?.close()
  })

  it('the planner downloads the source once; each job then downloads only its own partition input', async () => {
    const {file, firmIds} = sampleSubset({firms: 8, quarters: [quarter]})
    await new S3Storage('s3://ftm-batch/sources', s3SettingsFromEnvironment(s3.environment)).putFile('transcripts.csv', file)
    const source = 's3://ftm-batch/sources/transcripts.csv'
    const root = 's3://ftm-batch/output'
    const run = await runCli(['run', '--source', source, '--root', root, '--executor', 'batch', '--parallel', '2', '--partitions', '2', ...settings(), '--json'], {environment})
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    const {runId, status} = parseJson<RunResult>(run)
    expect(status).toBe('succeeded')

    const gets = s3.requests.filter((request) => request.startsWith('GET '))
    const sourceGets = gets.map((request, index) => ({request, index})).filter(({request}) => request.startsWith('GET /ftm-batch/sources/transcripts.csv'))
    const input = (partition: number): string => `GET /ftm-batch/output/runs/${runId}/inputs/${quarter}/part-0000${partition}.parquet`
    const inputGets = gets.map((request, index) => ({request, index})).filter(({request}) => request.includes(`/runs/${runId}/inputs/`))
    // The source: one download, by the planner, before any job read anything
    expect(sourceGets).toHaveLength(1)
    expect(inputGets.length).toBeGreaterThan(0)
    expect(sourceGets[0]!.index).toBeLessThan(inputGets[0]!.index)
    // Each partition input: downloaded once (one attempt per job), and nothing else under inputs/
    expect(inputGets.map(({request}) => request.split('?')[0]).sort()).toEqual([input(0), input(1)])
    // And each job read its own partition's input (its array index), by its CloudWatch log
    const children = [...fake.jobs.jobs.values()].filter((job) => job.parentId !== undefined && job.jobName === `ftm-${runId}-${quarter}`)
    expect(children.map((child) => child.index).sort()).toEqual([0, 1])
    for (const child of children) {
      expect(child.attempts).toHaveLength(1)
      const lines = fake.logs.lines('/aws/batch/job', child.attempts.at(-1)!.container.logStreamName!)
      expect(lines.filter((line) => line.includes('reading the partition input'))).toEqual([
        expect.stringContaining(`reading the partition input runs/${runId}/inputs/${quarter}/part-0000${child.index}.parquet`),
      ])
    }
    const sql = "SELECT count(*) AS rows, count(DISTINCT firm_id) AS firms, sum(CASE WHEN status = 'ok' THEN 1 ELSE 0 END) AS ok FROM firms"
    const counts = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'], {environment})).query!.rows[0]!
    expect(counts).toMatchObject({rows: String(firmIds.length), firms: String(firmIds.length), ok: String(firmIds.length)})
  })
})
