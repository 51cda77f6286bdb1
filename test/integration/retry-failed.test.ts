import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {FakeChatServer} from '../../fakes/fake-chat-server.js'
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

async function failedFirms(root: string, runId: string): Promise<Record<string, string>[]> {
  const sql = "SELECT error_kind, count(*) AS firms FROM firms WHERE status = 'failed' GROUP BY error_kind ORDER BY error_kind"
  return parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--run', runId, '--sql', sql, '--json'])).query!.rows as Record<string, string>[]
}

describe('ftm run --resume --retry-failed', () => {
  it('redoes the firms an LLM outage failed once the endpoint is back, surviving a SIGKILL in the middle of the retry', async () => {
    // Given a planned two-partition run whose workers ran while its LLM endpoint answered 500 to every request
    // (llm.onFailure=fail: each firm is committed as failed with llm_error; the breaker is set not to trip)
    let outage = true
    const llm = await FakeChatServer.start({slowMs: 700, decide: () => (outage ? 'server-error' : 'slow')})
    onTestFinished(() => llm.close())
    const data = temporaryFolder('ftm-retry-data-')
    writeTranscriptFiles({firms: firmCount, quarters: [quarter], seed: 31, minSentences: 60, maxSentences: 70}, data)
    const root = temporaryFolder('ftm-retry-root-')
    const {storage, record} = await prepareRun({
      source: path.join(data, 'transcripts.csv'),
      root,
      partitions: 2,
      set: [
        'worker.checkpointInterval=2',
        'worker.progressIntervalSeconds=0',
        'worker.breakerConsecutiveFailures=1000',
        'worker.breakerFailureRate=1',
        `llm.baseUrl=${llm.url}`,
        'llm.model=retry',
        'llm.onFailure=fail',
        'llm.whenAllFallback=warn',
        'llm.retries=0',
      ],
    })
    for (const partition of [0, 1]) expect((await startWorker(storage, record, quarter, partition)).exitCode).toBe(0)
    expect(await failedFirms(root, record.id)).toEqual([{error_kind: 'llm_error', firms: String(firmCount)}])
    // A plain resume of a partition (a second attempt with nothing left to do) still reports its committed failures
    expect((await startWorker(storage, record, quarter, 0)).exitCode).toBe(0)
    const resumedProgress = readPartitionProgress(root, quarter, 0)!
    expect(resumedProgress).toMatchObject({attempt: 2, firmsProcessed: 0, firmsResumed: resumedProgress.firmsTotal, firmsFailed: resumedProgress.firmsTotal})

    // When the endpoint is back (answering in 0.7 s, so the retry is still at work) and the retry is killed once it
    // has committed some redone firms
    outage = false
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
