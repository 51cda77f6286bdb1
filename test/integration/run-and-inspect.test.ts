import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import type {Manifest} from '../../src/core/manifest.js'
import {parseJson, runCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {readRecord} from '../support/wait-for.js'

describe('ftm run with the process executor, then ftm inspect', () => {
  const root = temporaryFolder()
  let data: {file: string; firmIds: string[]}
  let run: RunResult
  let stderr: string

  beforeAll(async () => {
    data = sampleSubset({firms: 6, quarters: ['2024Q1']})
    const result = await runCli(['run', '--source', data.file, '--root', root, '--parallel', '2', '--checkpoint-interval', '2', '--json'])
    stderr = result.stderr
    run = parseJson<RunResult>(result)
    expect(result.exitCode, result.stderr).toBe(0)
  })

  it('models every firm and records the run', () => {
    expect(run.status).toBe('succeeded')
    expect(run.summary.quarters).toEqual([expect.objectContaining({quarter: '2024Q1', firms: 6, ok: 6, failed: 0})])
    const record = readRecord(root, run.runId)
    expect(record.plan).toEqual([{quarter: '2024Q1', firms: 6, partitions: 2}])
    expect(record.jobs.map((job) => [job.quarter, job.partition])).toEqual([
      ['2024Q1', 0],
      ['2024Q1', 1],
    ])
    expect(record.config.worker.checkpointInterval).toBe(2)
  })

  it('writes balanced manifests of the firms sorted by id', () => {
    const manifests = [0, 1].map(
      (partition) => JSON.parse(readFileSync(path.join(root, 'runs', run.runId, 'manifests', '2024Q1', `part-0000${partition}.json`), 'utf8')) as Manifest,
    )
    expect(manifests.map((manifest) => manifest.firms.map((firm) => firm.id))).toEqual([data.firmIds.slice(0, 3), data.firmIds.slice(3)])
  })

  it('commits Hive-partitioned Parquet chunks that DuckDB reads as they are', async () => {
    expect(existsSync(path.join(root, 'topics', 'quarter=2024Q1', `run=${run.runId}`, 'part-00000-00000.parquet'))).toBe(true)
    const query = `SELECT count(DISTINCT quarter) AS quarters, count(DISTINCT run) AS runs FROM read_parquet('${path.join(root, 'firms')}/**/*.parquet', hive_partitioning = true)`
    const result = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--sql', query, '--json']))
    expect(result.query?.rows).toEqual([{quarters: '1', runs: '1'}])
  })

  it('lists topics with keywords and labels for each firm', async () => {
    const sql = `SELECT firm_id, count(*) AS topics, min(len(keywords)) AS fewest_keywords, bool_and(label <> '') AS labelled,
                        bool_and(label_source = 'keywords') AS keyword_labels, min(len(embedding)) AS dimensions
                 FROM topics GROUP BY firm_id ORDER BY firm_id`
    const result = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--sql', sql, '--json']))
    const rows = result.query!.rows
    expect(rows.map((row) => row.firm_id)).toEqual(data.firmIds)
    for (const row of rows) {
      expect(Number(row.topics)).toBeGreaterThanOrEqual(3)
      expect(Number(row.fewest_keywords)).toBeGreaterThanOrEqual(3)
      expect(row).toMatchObject({labelled: true, keyword_labels: true, dimensions: '100'})
    }
  })

  it('shows a readable summary with the top topics of a few firms', async () => {
    const result = await runCli(['inspect', '--root', root, '--firms', '2'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Run ${run.runId}`)
    expect(result.stdout).toMatch(/2024Q1\s+6\s+6\s+0/)
    expect(result.stdout).toContain(`2024Q1 ${data.firmIds[0]} `)
  })

  it('prints plain progress lines when stderr is not a terminal', () => {
    expect(stderr).toContain(`Run ${run.runId}`)
    expect(stderr).toMatch(/2024Q1 part-00000 .*3\/3 firms .*succeeded/)
    expect(stderr).not.toContain('\x1b[')
  })

  it('exports query results as CSV', async () => {
    const result = await runCli(['inspect', '--root', root, '--sql', 'SELECT firm_id, status FROM firms ORDER BY firm_id', '--format', 'csv'])
    expect(result.stdout.trim().split('\n')).toEqual(['firm_id,status', ...data.firmIds.map((id) => `${id},ok`)])
  })
})

describe('bad input gets a clear message and no stack trace', () => {
  const expectUserError = (result: {exitCode: number; stderr: string}, ...fragments: string[]): void => {
    expect(result.exitCode).toBe(2)
    for (const fragment of fragments) expect(result.stderr).toContain(fragment)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  }

  it('names the flag, the value and what is allowed', async () => {
    const result = await runCli(['run', '--source', 'x.csv', '--parallel', 'zero', '--root', temporaryFolder()])
    expectUserError(result, 'Invalid value for parallel: "zero" (from flag --parallel)', 'Allowed:')
  })

  it('names a missing source file and how to fix it', async () => {
    const result = await runCli(['run', '--source', 'missing/calls.csv', '--root', temporaryFolder()])
    expectUserError(result, 'missing/calls.csv does not exist', '--source')
  })

  it('names an unknown executor and the known ones', async () => {
    const {file} = sampleSubset({firms: 1, quarters: ['2024Q1']})
    const result = await runCli(['run', '--source', file, '--executor', 'kubernetes', '--root', temporaryFolder()])
    expectUserError(result, 'There is no executor "kubernetes"', 'process')
  })

  it('names an unknown flag, the closest one, and points to help', async () => {
    const result = await runCli(['run', '--paralel', '2'])
    expectUserError(result, 'ftm run has no flag --paralel.', 'ftm run --help')
    expect(result.stderr).toContain('Did you mean --parallel?')
  })

  it('refuses --resume with flags a resumed run cannot honour, instead of ignoring them', async () => {
    for (const flag of ['--source', '--quarters', '--partitions', '--executor']) {
      const result = await runCli(['run', '--resume', '20261128-143205-7f3a', flag, 'x', '--root', temporaryFolder()])
      expectUserError(result, `so it would ignore ${flag}`, 'without --resume')
    }
  })

  it('names a bad quarter', async () => {
    const result = await runCli(['run', '--source', 'x.csv', '--quarters', '2024Q9', '--root', temporaryFolder()])
    expectUserError(result, '"2024Q9" is not a quarter')
  })

  it('reports errors as JSON under --json', async () => {
    const result = await runCli(['inspect', '--root', temporaryFolder(), '--json'])
    expect(result.exitCode).toBe(2)
    expect(parseJson<{error: {message: string; hint: string}}>(result).error.message).toContain('There are no runs under')
  })
})
