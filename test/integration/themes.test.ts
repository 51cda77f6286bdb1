import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import type {CancelOutcome} from '../../src/core/run/cancel-run.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import type {ThemesSummary} from '../../src/pipeline/themes/run-themes.js'
import type {ThemesOutcome} from '../../src/core/run/themes-step.js'
import {parseJson, runCli} from '../support/cli.js'
import {startFakeBatch, type FakeBatch} from '../../fakes/fake-batch/server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
// Small runs have few topics: let themes form from a handful of them.
const smallThemes = ['--set', 'themes.hdbscan.minClusterSize=3', '--set', 'themes.hdbscan.minSamples=2', '--set', 'themes.minTopics=4', '--set', 'themes.umap.nNeighbors=5']

async function query(root: string, runId: string, sql: string): Promise<Record<string, string>[]> {
  const result = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json']))
  return result.query!.rows as Record<string, string>[]
}

describe('ftm themes with the process executor (a small real run)', () => {
  const root = temporaryFolder()
  let run: RunResult

  beforeAll(async () => {
    const {file} = sampleSubset({firms: 8, quarters: [quarter]})
    const result = await runCli(['run', '--source', file, '--root', root, '--parallel', '2', '--set', 'themes.enabled=true', ...smallThemes, '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    run = parseJson<RunResult>(result)
    expect(result.stderr).toContain(`themes ${quarter}:`)
  })

  it('ftm run with themes.enabled ran the reduce: both tables written for the quarter', () => {
    for (const table of ['themes', 'theme_members']) {
      expect(existsSync(path.join(root, table, `quarter=${quarter}`, `run=${run.runId}`, `${table}.parquet`))).toBe(true)
    }
  })

  it('ftm themes --latest reads every committed topic, enforces the validation rules, and the report shows the themes', async () => {
    const result = await runCli(['themes', '--latest', '--root', root, '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const outcome = parseJson<ThemesOutcome>(result)
    expect(outcome).toMatchObject({runId: run.runId, executor: 'process', submitted: []})
    const [summary] = outcome.summaries as [ThemesSummary]
    console.log(`themes on a small real run: ${JSON.stringify(summary)}`)
    const [counts] = await query(root, run.runId, 'SELECT count(*) AS topics, count(DISTINCT firm_id) AS firms FROM topics')
    expect(summary).toMatchObject({quarter, topics: Number(counts!.topics), firms: Number(counts!.firms)})
    const [themes] = await query(root, run.runId, 'SELECT count(*) AS themes, coalesce(sum(n_topics), 0) AS members FROM themes')
    expect(Number(themes!.themes)).toBe(summary.themes)
    const [members] = await query(root, run.runId, 'SELECT count(*) AS members FROM theme_members')
    expect(members!.members).toBe(themes!.members)
    expect(summary.themes + summary.rejected.too_few_firms + summary.rejected.one_firm_dominates).toBeGreaterThan(0)
    // Every kept theme spans 2+ firms and no firm holds more than 40% of it; every member is a committed topic.
    const violations = await query(root, run.runId, `
      WITH per_firm AS (SELECT theme_id, firm_id, count(*) AS n FROM theme_members GROUP BY ALL)
      SELECT theme_id FROM per_firm GROUP BY theme_id HAVING count(*) < 2 OR max(n) > 0.4 * sum(n)
      UNION ALL SELECT -1 FROM theme_members ANTI JOIN topics USING (firm_id, topic_id)`)
    expect(violations).toEqual([])
    const report = parseJson<InspectResult>(await runCli(['inspect', 'themes', '--root', root, '--run', run.runId, '--json']))
    expect(JSON.stringify(report)).toContain('"n_firms"')
  })

  it('an unknown quarter is a user error naming the run quarters', async () => {
    const result = await runCli(['themes', '--run', run.runId, '--root', root, '--quarters', '2023Q4'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('has no quarter 2023Q4')
  })
})

describe('ftm themes on AWS Batch (wire-level fake, real SDK)', () => {
  const awsEnvironment = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_PROFILE: ''}
  let fake: FakeBatch
  beforeAll(async () => {
    fake = await startFakeBatch()
    const create = ['--create', '--subnets', 'subnet-1', '--security-groups', 'sg-1', '--instance-role', 'ecsInstanceRole']
    const setup = await runCli(['batch', 'setup', '--image', 'ftm-pipeline:test', ...create, '--set', `batch.endpoint=${fake.endpoint}`, '--json'], {environment: awsEnvironment})
    expect(setup.exitCode, setup.stdout + setup.stderr).toBe(0)
  })
  afterAll(async () => {
    await fake?.close()
  })

  it('a detached run submits the quarter reduce as one job depending on the map array job, and the job writes the themes', async () => {
    const {file} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder()
    const settings = ['--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off', '--set', 'themes.enabled=true', ...smallThemes]
    const args = ['run', '--source', file, '--root', root, '--executor', 'batch', '--parallel', '2', '--partitions', '2', '--detach', ...settings, '--json']
    const started = await runCli(args, {environment: awsEnvironment})
    expect(started.exitCode, started.stdout + started.stderr).toBe(0)
    const runId = parseJson<{runId: string}>(started).runId
    const submits = fake.calls.filter((call) => call.operation === 'SubmitJob' && String(call.body.jobName).includes(runId))
    expect(submits).toHaveLength(2)
    const [map, reduce] = submits as [(typeof submits)[0], (typeof submits)[0]]
    expect(map.body.arrayProperties).toEqual({size: 2})
    const mapJobId = JSON.parse(readFileSync(path.join(root, 'runs', runId, 'run.json'), 'utf8')).jobs[0].id.replace(/:\d+$/, '') as string
    expect(reduce.body).toMatchObject({
      jobName: `ftm-${runId}-${quarter}-themes`,
      dependsOn: [{jobId: mapJobId}],
      tags: {'ftm-task': 'themes', 'ftm-quarter': quarter},
    })
    expect(reduce.body.arrayProperties).toBeUndefined()
    expect((reduce.body.containerOverrides as {environment: {name: string; value: string}[]}).environment).toEqual(
      expect.arrayContaining([{name: 'FTM_TASK', value: 'themes'}, {name: 'FTM_QUARTER', value: quarter}]),
    )
    // The fake runs the job once the array job succeeded: the reduce leaves its summary and tables in storage.
    const summaryFile = path.join(root, 'runs', runId, 'themes', `${quarter}.json`)
    const summary = await waitFor(() => (existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as ThemesSummary) : undefined), 100)
    expect(summary.firms).toBeGreaterThan(0)
    expect(existsSync(path.join(root, 'themes', `quarter=${quarter}`, `run=${runId}`, 'themes.parquet'))).toBe(true)
    const handles = JSON.parse(readFileSync(path.join(root, 'runs', runId, 'themes', 'jobs.json'), 'utf8')) as {id: string; quarter: string}[]
    expect(handles).toEqual([expect.objectContaining({quarter, executor: 'batch', task: 'themes'})])
    // ftm status shows the themes job beside the partitions.
    // The summary is written before the job ends: ask until the fake has marked it SUCCEEDED.
    let status: RunStatusReport
    do status = parseJson<RunStatusReport>(await runCli(['status', runId, '--root', root, '--json'], {environment: awsEnvironment}))
    while (status.themes[0]?.phase === 'running')
    expect(status.themes).toEqual([expect.objectContaining({quarter, jobId: handles[0]!.id, phase: 'succeeded'})])
    const text = await runCli(['status', runId, '--root', root], {environment: awsEnvironment})
    expect(text.stdout).toContain(`themes ${quarter}: succeeded (job ${handles[0]!.id}`)
  })

  it('ftm cancel stops a themes job still waiting for its map jobs, and ftm status shows it cancelled', async () => {
    const {file} = sampleSubset({firms: 4, quarters: [quarter]})
    const root = temporaryFolder()
    const settings = ['--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off', '--set', 'themes.enabled=true', ...smallThemes]
    fake.scheduler.capacityProblem = 'no Spot capacity in the test'
    try {
      const started = await runCli(['run', '--source', file, '--root', root, '--executor', 'batch', '--detach', ...settings, '--json'], {environment: awsEnvironment})
      expect(started.exitCode, started.stdout + started.stderr).toBe(0)
      const runId = parseJson<{runId: string}>(started).runId
      const cancelled = await runCli(['cancel', runId, '--root', root, '--json'], {environment: awsEnvironment})
      expect(cancelled.exitCode, cancelled.stdout + cancelled.stderr).toBe(0)
      expect(parseJson<CancelOutcome>(cancelled)).toMatchObject({runId, status: 'cancelled', themesCancelled: 1})
      const status = parseJson<RunStatusReport>(await runCli(['status', runId, '--root', root, '--json'], {environment: awsEnvironment}))
      expect(status.themes).toEqual([expect.objectContaining({quarter, phase: 'cancelled'})])
      const again = await runCli(['cancel', runId, '--root', root, '--json'], {environment: awsEnvironment})
      expect(parseJson<CancelOutcome>(again)).toMatchObject({alreadyFinished: true, themesCancelled: 0})
    } finally {
      fake.scheduler.capacityProblem = undefined
    }
  })
})
