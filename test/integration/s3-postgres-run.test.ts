import {readdirSync, readFileSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import type {RunRecord} from '../../src/core/run-record.js'
import {s3SettingsFromEnvironment} from '../../src/storage/storage-schema.js'
import {S3Storage} from '../../src/storage/s3-storage.js'
import {readJson} from '../../src/storage/storage.js'
import {type CliResult, parseJson, runCli} from '../support/cli.js'
import {createTestDatabase, postgresMissing, type TestDatabase} from '../support/postgres.js'
import {startS3Server, type S3Server} from '../support/s3-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {describeWithService} from '../support/service.js'

// One full run as on Batch: storage on S3 (s3rver), transcripts from PostgreSQL in the WRDS shape, credentials in
// the environment only; then `ftm inspect` of the S3 root through the local cache.
describeWithService('PostgreSQL', postgresMissing, 'ftm run with storage on S3 and the source in PostgreSQL, then ftm inspect', () => {
  let server: S3Server
  let database: TestDatabase
  let environment: NodeJS.ProcessEnv
  let run: RunResult
  let runOutput: CliResult
  const root = 's3://ftm-e2e/research/output'
  const cache = temporaryFolder('ftm-cache-')

  beforeAll(async () => {
    server = await startS3Server(['ftm-e2e'])
    const data = sampleSubset({firms: 4, quarters: ['2024Q1']})
    database = createTestDatabase({loadFixture: true, csvFile: data.file})
    environment = {...server.environment, PGUSER: database.user, PGPASSWORD: database.password, FTM_CACHE_DIR: cache, PGPASSFILE: '/nonexistent'}
    const source = `postgres://${database.host}:${database.port}/${database.database}?sslmode=require`
    runOutput = await runCli(['run', '--source', source, '--root', root, '--quarters', '2024Q1', '--parallel', '2', '--checkpoint-interval', '1', '--json'], {environment})
    run = parseJson<RunResult>(runOutput)
  })
  afterAll(async () => {
    database?.drop()
    await server?.stop()
  })

  const storage = (): S3Storage => new S3Storage(root, s3SettingsFromEnvironment(server.environment))

  it('models every firm and keeps the record, manifests, progress and Parquet on S3', async () => {
    expect(runOutput.exitCode, runOutput.stderr).toBe(0)
    expect(run.status).toBe('succeeded')
    expect(run.summary.quarters).toEqual([expect.objectContaining({quarter: '2024Q1', firms: 4, ok: 4, failed: 0})])
    Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER'})
    const keys = await storage().list('')
    expect(keys).toContain(`runs/${run.runId}/run.json`)
    expect(keys).toContain(`runs/${run.runId}/manifests/2024Q1/part-00001.json`)
    expect(keys).toContain(`runs/${run.runId}/progress/2024Q1/part-00001.json`)
    expect(keys.filter((key) => key.startsWith(`topics/quarter=2024Q1/run=${run.runId}/`))).toHaveLength(4)
    const record = (await readJson<RunRecord>(storage(), `runs/${run.runId}/run.json`))!
    expect(record.root).toBe(root)
    expect(record.source).toBe(`postgres://${database.host}:${database.port}/${database.database}?sslmode=require`)
  })

  it('inspects the S3 root through the local cache, downloading each chunk once', async () => {
    const sql = 'SELECT count(DISTINCT firm_id) AS firms, count(*) AS topics FROM topics'
    const first = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--sql', sql, '--json'], {environment}))
    expect(first.runId).toBe(run.runId)
    expect(Number(first.query!.rows[0]!.firms)).toBe(4)
    const cached = listFiles(cache).filter((file) => file.endsWith('.parquet'))
    expect(cached.length).toBeGreaterThanOrEqual(12)
    const times = cached.map((file) => statSync(file).mtimeMs)
    const summary = await runCli(['inspect', '--root', root, '--firms', '1'], {environment})
    expect(summary.exitCode, summary.stderr).toBe(0)
    expect(summary.stdout).toMatch(/2024Q1\s+4\s+4\s+0/)
    expect(cached.map((file) => statSync(file).mtimeMs)).toEqual(times)
  })

  it('never writes the database password to logs, the run record, progress, output or errors', async () => {
    const secret = database.password
    const failed = await runCli(
      ['run', '--source', `postgres://${database.host}:${database.port}/${database.database}`, '--root', root, '--quarters', '2024Q1'],
      {environment: {...environment, PGPASSWORD: `${secret}-wrong`}},
    )
    expect(failed.exitCode).toBe(2)
    expect(failed.stderr).toMatch(/refused the login/)
    const texts: [string, string][] = [
      ['run output', runOutput.stdout + runOutput.stderr],
      ['failed run output', failed.stdout + failed.stderr],
    ]
    for (const key of await storage().list('runs/')) texts.push([key, Buffer.from((await storage().read(key))!).toString()])
    const logFolder = path.join(os.tmpdir(), 'ftm-logs', 'runs', run.runId)
    const logs = listFiles(logFolder)
    expect(logs.length).toBeGreaterThan(0)
    for (const file of logs) texts.push([file, readFileSync(file, 'utf8')])
    expect(texts.some(([name]) => name.endsWith('run.json'))).toBe(true)
    expect(texts.some(([name]) => name.includes('/progress/'))).toBe(true)
    for (const [name, text] of texts) expect(text.includes(secret), `${name} contains the password`).toBe(false)
  })
})

function listFiles(folder: string): string[] {
  try {
    return readdirSync(folder, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
  } catch {
    return []
  }
}
