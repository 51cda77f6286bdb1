import {createHash} from 'node:crypto'
import {readFileSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import {readRunRecord, writeRunRecord} from '../../src/core/run-record.js'
import {LocalStorage} from '../../src/storage/local-storage.js'
import {parseJson, repositoryRoot, runCli} from '../support/cli.js'
import {prepareRun} from '../support/prepared-run.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {onlyRunId, readPartitionProgress, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const cli = path.join(repositoryRoot, 'bin', 'run.js')

/** Each firm's row count in the firms table and the number of distinct firms. */
async function firmCounts(root: string, runId: string): Promise<{rows: number; firms: number; ids: string[]}> {
  const sql = 'SELECT firm_id, count(*) AS n FROM firms GROUP BY firm_id ORDER BY firm_id'
  const rows = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'])).query!.rows
  return {rows: rows.reduce((sum, row) => sum + Number(row.n), 0), firms: rows.length, ids: rows.map((row) => String(row.firm_id)).sort((a, b) => Number(a) - Number(b))}
}

function inputFiles(root: string, runId: string, partitions: number): string[] {
  return Array.from({length: partitions}, (_, partition) => path.join(root, 'runs', runId, 'inputs', quarter, `part-${String(partition).padStart(5, '0')}.parquet`))
}

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('workers read only their partition inputs (issue 22, item 4)', () => {
  it('a planned run finishes every firm once after its source file is deleted: the workers never open it', async () => {
    // Given a run planned from a CSV: each partition's calls were written as its own input
    const {file, firmIds} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder('ftm-inputs-root-')
    const {record} = await prepareRun({source: file, root, partitions: 2, set: ['worker.checkpointInterval=2']})
    expect(record.partitionInputs).toBe(true)
    for (const input of inputFiles(root, record.id, 2)) expect(statSync(input).size).toBeGreaterThan(0)

    // When the source is gone and the run is started (a resume of the planned run)
    rmSync(file)
    const result = await runCli(['run', '--resume', record.id, '--root', root, '--json'])

    // Then it succeeds, saying why the missing source does not matter, and every firm is there exactly once
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    expect(parseJson<RunResult>(result).status).toBe('succeeded')
    expect(result.stderr).toMatch(/changed since run .* was planned: it is gone.*partition inputs written when the run was planned/s)
    expect(await firmCounts(root, record.id)).toEqual({rows: firmIds.length, firms: firmIds.length, ids: firmIds})
    const logs = await runCli(['logs', record.id, '--root', root])
    for (const partition of [0, 1]) expect(logs.stdout).toContain(`reading the partition input runs/${record.id}/inputs/${quarter}/part-0000${partition}.parquet`)
  })

  it('a run planned before partition inputs existed still resumes: its workers read the source', async () => {
    const {file, firmIds} = sampleSubset({firms: 4, quarters: [quarter]})
    const root = temporaryFolder('ftm-inputs-old-')
    const {storage, record} = await prepareRun({source: file, root, partitions: 2})
    delete record.partitionInputs
    await writeRunRecord(storage, record)
    rmSync(path.join(root, 'runs', record.id, 'inputs'), {recursive: true})
    const result = await runCli(['run', '--resume', record.id, '--root', root, '--json'])
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    expect(await firmCounts(root, record.id)).toEqual({rows: firmIds.length, firms: firmIds.length, ids: firmIds})
    expect((await runCli(['logs', record.id, '--root', root])).stdout).not.toContain('reading the partition input')
  })

  it('a resume after the CLI is SIGKILLed mid-run reuses the written inputs unchanged, and every firm is there once', async () => {
    const {file, firmIds} = sampleSubset({firms: 10, quarters: [quarter]})
    const root = temporaryFolder('ftm-inputs-kill-')
    const flags = ['--source', file, '--root', root, '--partitions', '2', '--parallel', '2', '--checkpoint-interval', '1', '--set', 'worker.progressIntervalSeconds=0', '--json']
    const run = execa(process.execPath, [cli, 'run', ...flags], {reject: false})
    // Once a firm is committed, kill the CLI (its workers are left behind, as after a crash of the monitor)
    const runId = await waitFor(() => {
      const progress = [0, 1].map((partition) => readPartitionProgress(root, quarter, partition))
      return progress.some((entry) => (entry?.firmsCommitted ?? 0) >= 1) ? onlyRunId(root) : undefined
    }, 25, run)
    run.kill('SIGKILL')
    await run
    const storage = new LocalStorage(root)
    const inputs = inputFiles(root, runId!, 2)
    const before = inputs.map((input) => ({digest: digest(input), modified: statSync(input).mtimeMs}))

    const resumed = await runCli(['run', '--resume', runId!, '--root', root, '--json'])
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0)
    expect(inputs.map((input) => ({digest: digest(input), modified: statSync(input).mtimeMs}))).toEqual(before)
    expect((await storage.list(`runs/${runId}/inputs/`)).length).toBe(2)
    expect((await readRunRecord(storage, runId!)).partitionInputs).toBe(true)
    expect(await firmCounts(root, runId!)).toEqual({rows: firmIds.length, firms: firmIds.length, ids: firmIds})
  })
})
