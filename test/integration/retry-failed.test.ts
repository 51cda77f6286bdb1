import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {writeTranscriptFiles} from '../../fixtures/generator/index.js'
import type {InspectResult} from '../../src/commands/inspect.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import {parseJson, runCli, startCli} from '../support/cli.js'
import {prepareRun, startWorker} from '../support/prepared-run.js'
import {temporaryFolder} from '../support/sample-subset.js'
import {countRows, expectFirmsOnce} from '../support/table-counts.js'
import {readPartitionProgress, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const firmCount = 16
const keptFirms = 9

/** Keeps the header and the rows of the first `firms` companies in file order: a file cut at a firm's first line. */
function truncateToFirms(file: string, firms: number): void {
  const lines = readFileSync(file, 'utf8').split('\n')
  const seen = new Set<string>()
  let end = lines.length
  for (let index = 1; index < lines.length; index++) {
    // A row starts with companyid, companyname, transcriptid, componentorder; other lines continue a quoted text.
    const firm = /^(\d+),("[^"]*"|[^,"]*),\d+,\d+,/.exec(lines[index]!)?.[1]
    if (firm === undefined || seen.has(firm)) continue
    if (seen.size === firms) {
      end = index
      break
    }
    seen.add(firm)
  }
  writeFileSync(file, `${lines.slice(0, end).join('\n')}\n`)
}

async function failedFirms(root: string, runId: string): Promise<Record<string, string>[]> {
  const sql = "SELECT error_kind, count(*) AS firms FROM firms WHERE status = 'failed' GROUP BY error_kind ORDER BY error_kind"
  return parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'])).query!.rows as Record<string, string>[]
}

describe('ftm run --resume --retry-failed', () => {
  it('redoes the firms a truncated source failed once the file is back, surviving a SIGKILL in the middle of the retry', async () => {
    // Given a planned two-partition run whose workers ran on a truncated copy of its source
    const data = temporaryFolder('ftm-retry-data-')
    writeTranscriptFiles({firms: firmCount, quarters: [quarter], seed: 31, minSentences: 60, maxSentences: 70}, data)
    const source = path.join(data, 'transcripts.csv')
    copyFileSync(source, path.join(data, 'original.csv'))
    const root = temporaryFolder('ftm-retry-root-')
    const {storage, record} = await prepareRun({source, root, partitions: 2, set: ['worker.checkpointInterval=2', 'worker.progressIntervalSeconds=0']})
    truncateToFirms(source, keptFirms)
    for (const partition of [0, 1]) expect((await startWorker(storage, record, quarter, partition)).exitCode).toBe(0)
    expect(await failedFirms(root, record.id)).toEqual([{error_kind: 'no_transcript', firms: String(firmCount - keptFirms)}])

    // A resume on the changed file is refused: the source is not the one the run was planned from
    const refused = await runCli(['run', '--resume', record.id, '--root', root])
    expect(refused.exitCode, refused.stderr).toBe(2)
    expect(refused.stderr).toContain(`The source ${source} changed since run ${record.id} was planned`)

    // When the file is restored and the retry is killed once it has committed some redone firms
    copyFileSync(path.join(data, 'original.csv'), source)
    const retry = startCli(['run', '--resume', record.id, '--root', root, '--retry-failed'])
    const redoing = await waitFor(() => {
      for (const partition of [0, 1]) {
        const progress = readPartitionProgress(root, quarter, partition)
        if (progress && progress.attempt === 2 && progress.firmsCommitted > progress.firmsResumed) return progress
      }
      return undefined
    }, 25, retry).catch(async (error) => {
      const ended = await retry
      throw new Error(`${error}: exit ${ended.exitCode}\n${ended.stdout}\n${ended.stderr}`)
    })
    retry.kill('SIGKILL')
    process.kill(redoing.pid!, 'SIGKILL')
    await retry
    const midway = await countRows(root, record.id)
    expect(Number(midway.firms)).toBeLessThan(firmCount) // the released firms not redone yet are uncommitted, not duplicated
    expect(midway.firm_rows).toBe(midway.firms)

    // And the run is resumed with --retry-failed again
    const resumed = await runCli(['run', '--resume', record.id, '--root', root, '--retry-failed', '--json'])
    expect(resumed.exitCode, resumed.stderr).toBe(0)

    // Then every firm is in every table exactly once and none is failed; status counts them all done
    expectFirmsOnce(await countRows(root, record.id), firmCount)
    expect(await failedFirms(root, record.id)).toEqual([])
    const status = parseJson<RunStatusReport>(await runCli(['status', record.id, '--root', root, '--json']))
    expect(status.status).toBe('succeeded')
    expect(status.totals).toMatchObject({firms: firmCount, firmsDone: firmCount, firmsFailed: 0})
  })

  it('says so when there is nothing to retry, and refuses --retry-failed without --resume', async () => {
    const root = temporaryFolder('ftm-retry-none-')
    const data = temporaryFolder('ftm-retry-none-data-')
    writeTranscriptFiles({firms: 3, quarters: [quarter], seed: 5, minSentences: 60, maxSentences: 70}, data)
    const run = await runCli(['run', '--source', path.join(data, 'transcripts.csv'), '--root', root, '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const runId = parseJson<{runId: string}>(run).runId

    const again = await runCli(['run', '--resume', runId, '--root', root, '--retry-failed', '--retry-kind', 'no_transcript'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(again.stderr + again.stdout).toContain(`No failed firms of kind no_transcript to retry in run ${runId}.`)

    const alone = await runCli(['run', '--retry-failed', '--root', root])
    expect(alone.exitCode).toBe(2)
    expect(alone.stderr).toContain('--resume')
  })
})
