import {copyFileSync, existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunResult} from '../../src/commands/run.js'
import {parseJson, runCli, startCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {onlyRunId, readPartitionProgress, readRecord, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'

/** Counts rows and distinct keys of each table, to prove every firm is there exactly once. */
async function tableCounts(root: string, runId: string): Promise<Record<string, string>> {
  const sql = `SELECT
      (SELECT count(*) FROM firms) AS firm_rows,
      (SELECT count(DISTINCT firm_id) FROM firms) AS firms,
      (SELECT count(*) FILTER (status = 'ok') FROM firms) AS ok_firms,
      (SELECT count(*) FROM topics) AS topic_rows,
      (SELECT count(DISTINCT (firm_id, topic_id)) FROM topics) AS topics,
      (SELECT count(DISTINCT firm_id) FROM topics) AS firms_with_topics,
      (SELECT count(*) FROM sentences) AS sentence_rows,
      (SELECT count(DISTINCT (firm_id, sentence_index)) FROM sentences) AS sentences,
      (SELECT count(DISTINCT firm_id) FROM sentences) AS firms_with_sentences,
      (SELECT coalesce(sum(n_sentences), 0) FROM firms) AS sentences_counted`
  const result = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json']))
  return result.query!.rows[0] as Record<string, string>
}

function expectEachFirmOnce(counts: Record<string, string>, firms: number): void {
  expect(counts.firm_rows).toBe(String(firms))
  expect(counts.firms).toBe(String(firms))
  expect(counts.ok_firms).toBe(String(firms))
  expect(counts.topic_rows).toBe(counts.topics)
  expect(counts.firms_with_topics).toBe(String(firms))
  expect(counts.sentence_rows).toBe(counts.sentences)
  expect(counts.sentence_rows).toBe(counts.sentences_counted)
  expect(counts.firms_with_sentences).toBe(String(firms))
}

describe('interruptions lose nothing', () => {
  it('a worker killed with SIGKILL mid-partition is resumed: every firm is in firms, topics and sentences exactly once', async () => {
    // Given a one-partition run committing every 3 firms
    const {file, firmIds} = sampleSubset({firms: 14, quarters: [quarter]})
    const root = temporaryFolder()
    const first = startCli(['run', '--source', file, '--root', root, '--partitions', '1', '--checkpoint-interval', '3', '--set', 'worker.progressIntervalSeconds=0'])
    // When its worker is killed after a commit, in the middle of the partition
    const progress = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsCommitted >= 3 && current.firmsProcessed > current.firmsCommitted ? current : undefined
    }, 5, first)
    process.kill(progress.pid, 'SIGKILL')
    const crashed = await first
    const runId = onlyRunId(root)!
    // Then the run is recorded as failed, with the partition's committed firms kept
    expect(crashed.exitCode).toBe(1)
    expect(readRecord(root, runId)).toMatchObject({status: 'failed'})
    expect(readRecord(root, runId).reason).toContain('killed')
    const committedBefore = (await tableCounts(root, runId)).firms
    expect(Number(committedBefore)).toBeGreaterThanOrEqual(3)
    expect(Number(committedBefore)).toBeLessThan(firmIds.length)

    // And an uncommitted leftover (a data file whose firms file never came) is planted
    const topicsFolder = path.join(root, 'topics', `quarter=${quarter}`, `run=${runId}`)
    const leftover = path.join(topicsFolder, 'part-00000-00099.parquet')
    copyFileSync(path.join(topicsFolder, 'part-00000-00000.parquet'), leftover)

    // When the run is resumed
    const resumed = await runCli(['run', '--resume', runId, '--root', root, '--json'])
    // Then it completes, skipping committed firms, removing the leftover, and holding every firm exactly once
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    expect(existsSync(leftover)).toBe(false)
    const final = readPartitionProgress(root, quarter)!
    expect(final).toMatchObject({attempt: 2, firmsResumed: Number(committedBefore), phase: 'done', exitCode: 0})
    expectEachFirmOnce(await tableCounts(root, runId), firmIds.length)
  })

  it('SIGTERM makes a worker commit the firms it finished before it exits 143', async () => {
    // Given a run whose checkpoint interval is never reached
    const {file} = sampleSubset({firms: 10, quarters: [quarter]})
    const root = temporaryFolder()
    const run = startCli(['run', '--source', file, '--root', root, '--partitions', '1', '--checkpoint-interval', '1000', '--set', 'worker.progressIntervalSeconds=0'])
    // When its worker gets SIGTERM after finishing some firms
    const progress = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsProcessed >= 2 ? current : undefined
    }, 5, run)
    expect(progress.firmsCommitted).toBe(0)
    process.kill(progress.pid, 'SIGTERM')
    await run
    // Then it committed every firm it had finished and exited 143
    const runId = onlyRunId(root)!
    const final = readPartitionProgress(root, quarter)!
    expect(final).toMatchObject({phase: 'stopped', exitCode: 143})
    expect(final.firmsCommitted).toBe(final.firmsProcessed)
    expect(final.firmsCommitted).toBeGreaterThanOrEqual(2)
    const counts = await tableCounts(root, runId)
    expect(counts.firms).toBe(String(final.firmsCommitted))
    expect(readdirSync(path.join(root, 'firms', `quarter=${quarter}`, `run=${runId}`))).toEqual(['part-00000-00000.parquet'])
  })

  it('Ctrl-C cancels the run: workers commit and stop, the record says cancelled, and --resume finishes it', async () => {
    // Given a running run with two partitions
    const {file, firmIds} = sampleSubset({firms: 8, quarters: [quarter]})
    const root = temporaryFolder()
    const run = startCli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '2', '--checkpoint-interval', '1000', '--set', 'worker.progressIntervalSeconds=0'])
    await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsProcessed >= 1 ? current : undefined
    }, 5, run)
    // When the user presses Ctrl-C
    run.kill('SIGINT')
    const cancelled = await run
    // Then the CLI exits 130, the record says cancelled and finished firms are committed
    const runId = onlyRunId(root)!
    expect(cancelled.exitCode).toBe(130)
    expect(readRecord(root, runId).status).toBe('cancelled')
    expect(readPartitionProgress(root, quarter)).toMatchObject({phase: 'stopped', exitCode: 143})
    expect(Number((await tableCounts(root, runId)).firms)).toBeGreaterThanOrEqual(1)
    // And resuming finishes the run with every firm exactly once
    const resumed = await runCli(['run', '--resume', runId, '--root', root])
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(readRecord(root, runId).status).toBe('succeeded')
    expectEachFirmOnce(await tableCounts(root, runId), firmIds.length)
  })
})
