import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import type {DetachedRunResult, RunResult} from '../../src/commands/run.js'
import type {CancelOutcome} from '../../src/core/run/cancel-run.js'
import type {RunListing} from '../../src/core/run/list-runs.js'
import {isProcessAlive} from '../../src/core/run/process-liveness.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import {parseJson, runCli, startCli} from '../support/cli.js'
import {FakeChatServer} from '../../fakes/fake-chat-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {countRows, expectFirmsOnce} from '../support/table-counts.js'
import {onlyRunId, readPartitionProgress, readRecord, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const started: number[] = []

afterEach(() => {
  // Whatever a failed test left running is stopped (only processes this file started or recorded).
  for (const pid of started.splice(0)) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL')
})

describe('the run lifecycle from other processes', () => {
  // A fake LLM answering after 1 s sets the pace: a partition of 20 firms takes at least 20 s, so it is still at
  // work when other processes look at it and cancel it, however fast the machine models.
  let llm: FakeChatServer
  let paced: string[]
  beforeAll(async () => {
    llm = await FakeChatServer.start({latencyMs: 1000})
    paced = ['--set', `llm.baseUrl=${llm.url}`, '--set', 'llm.model=pace']
  })
  afterAll(async () => llm.close())

  it('a detached run is watched, logged and cancelled from other processes, then resumed to completion', async () => {
    // Given a run started with --detach (partitions big enough to still be at work when looked at)
    const {file, firmIds} = sampleSubset({firms: 40, quarters: [quarter]})
    const root = temporaryFolder()
    const detached = await runCli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '1', '--checkpoint-interval', '1', '--detach', ...paced, '--json'])
    // Then the CLI has returned with the run id, its background monitor and the follow-up commands
    expect(detached.exitCode, detached.stderr).toBe(0)
    const result = parseJson<DetachedRunResult>(detached)
    started.push(result.monitor!.pid)
    expect(result).toMatchObject({status: 'running', detached: true, root, next: {status: expect.stringContaining(`ftm status ${result.runId}`)}})
    expect(isProcessAlive(result.monitor!.pid)).toBe(true)

    // When its first partition has committed a firm, `ftm status` in another process reports it from storage
    const progress = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsCommitted >= 1 && current.phase === 'running' ? current : undefined
    })
    started.push(progress.pid)
    const status = parseJson<RunStatusReport>(await runCli(['status', result.runId, '--root', root, '--json']))
    expect(status).toMatchObject({runId: result.runId, status: 'running', executor: 'process', parallel: 1, stalled: false, monitor: {pid: result.monitor!.pid, alive: true, detached: true}})
    expect(status.partitions.map((partition) => [partition.quarter, partition.partition, partition.phase])).toEqual([
      [quarter, 0, 'running'],
      [quarter, 1, 'pending'],
    ])
    expect(status.partitions[0]).toMatchObject({pid: progress.pid, firmsTotal: 20})
    expect(status.totals.firms).toBe(40)
    expect(status.quarters).toEqual([expect.objectContaining({quarter, firms: 40, partitions: 2})])

    // And `ftm logs --latest` reads the worker's log
    const logs = parseJson<{runId: string; partitions: {quarter: string; partition: number; lines: string[]}[]}>(await runCli(['logs', '--latest', '--root', root, '--json']))
    expect(logs.runId).toBe(result.runId)
    expect(logs.partitions[0]!.lines.join('\n')).toContain(`ftm worker: run ${result.runId} ${quarter} partition 0`)

    // When `ftm cancel` runs in another process
    const cancelled = await runCli(['cancel', result.runId, '--root', root, '--json'])
    // Then the worker has committed and stopped, the monitor has gone and the record says cancelled
    expect(cancelled.exitCode, cancelled.stderr).toBe(0)
    expect(parseJson<CancelOutcome>(cancelled)).toEqual({runId: result.runId, status: 'cancelled', alreadyFinished: false, via: 'monitor', themesCancelled: 0})
    expect(readRecord(root, result.runId).status).toBe('cancelled')
    const final = [0, 1].map((partition) => readPartitionProgress(root, quarter, partition))
    expect(final.some((entry) => entry?.phase === 'stopped' && entry.exitCode === 143)).toBe(true)
    expect(final.every((entry) => entry === undefined || ['stopped', 'done'].includes(entry.phase))).toBe(true)
    await waitFor(() => (isProcessAlive(progress.pid) || isProcessAlive(result.monitor!.pid) ? undefined : true))
    const runs = parseJson<{root: string; runs: RunListing[]}>(await runCli(['runs', '--root', root, '--json']))
    expect(runs.runs).toEqual([expect.objectContaining({runId: result.runId, status: 'cancelled', quarters: [quarter], firms: 40, partitions: 2, executor: 'process'})])
    // And cancelling again changes nothing
    expect(parseJson<CancelOutcome>(await runCli(['cancel', '--latest', '--root', root, '--json']))).toMatchObject({alreadyFinished: true, status: 'cancelled'})

    // When the run is resumed, it finishes with every firm exactly once
    const resumed = await runCli(['run', '--resume', result.runId, '--root', root, '--json'])
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    expectFirmsOnce(await countRows(root, result.runId), firmIds.length)
  })

  it('resumes after the CLI itself was killed: workers it left are waited for, never doubled, and every firm is there once', async () => {
    // Given an attached run whose `ftm run` process is killed with SIGKILL while its first worker works
    const {file, firmIds} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder()
    const cli = startCli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '1', '--checkpoint-interval', '1'])
    const first = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsCommitted >= 1 && current.phase === 'running' ? current : undefined
    })
    started.push(first.pid)
    cli.kill('SIGKILL')
    await cli
    const runId = onlyRunId(root)!

    // Then status from storage says the monitor is gone while the orphaned worker goes on
    const status = parseJson<RunStatusReport>(await runCli(['status', '--root', root, '--json']))
    expect(status.monitor).toMatchObject({alive: false})
    expect(status.status).toBe('running')
    expect(status.partitions[1]!.phase).toBe('pending')

    // When the run is resumed
    const resumed = await runCli(['run', '--resume', runId, '--root', root, '--json'])
    // Then it finished without starting a second worker for the first partition, and every firm is there once
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    expect(readPartitionProgress(root, quarter, 0)).toMatchObject({pid: first.pid, attempt: 1, phase: 'done'})
    expect(readPartitionProgress(root, quarter, 1)).toMatchObject({phase: 'done', exitCode: 0})
    expectFirmsOnce(await countRows(root, runId), firmIds.length)
    const settled = parseJson<RunStatusReport>(await runCli(['status', runId, '--root', root, '--json']))
    expect(settled).toMatchObject({status: 'succeeded', stalled: false, totals: {firms: 6, firmsDone: 6, firmsCommitted: 6}})
  })

  it('cancels from storage alone when the CLI is gone: SIGTERM to the recorded worker pid, then the record says cancelled', async () => {
    // Given a run whose `ftm run` was killed while its first worker works (the second partition never started)
    const {file} = sampleSubset({firms: 40, quarters: [quarter]})
    const root = temporaryFolder()
    const cli = startCli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '1', '--checkpoint-interval', '1000', ...paced])
    const first = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsProcessed >= 1 && current.phase === 'running' ? current : undefined
    })
    started.push(first.pid)
    cli.kill('SIGKILL')
    await cli
    const runId = onlyRunId(root)!
    // When `ftm cancel` runs
    const cancelled = await runCli(['cancel', '--latest', '--root', root, '--json'])
    // Then it went through the executor, the worker committed what it had finished and exited 143, and the record is cancelled
    expect(cancelled.exitCode, cancelled.stderr).toBe(0)
    expect(parseJson<CancelOutcome>(cancelled)).toEqual({runId, status: 'cancelled', alreadyFinished: false, via: 'executor', themesCancelled: 0})
    const stopped = readPartitionProgress(root, quarter)!
    expect(stopped).toMatchObject({pid: first.pid, phase: 'stopped', exitCode: 143})
    expect(stopped.firmsCommitted).toBe(stopped.firmsProcessed)
    await waitFor(() => (isProcessAlive(first.pid) ? undefined : true))
    expect(readRecord(root, runId)).toMatchObject({status: 'cancelled', reason: expect.stringContaining('1 never started')})
    // The status already says cancelled: the reason does not say it again ("cancelled: cancelled; …")
    expect(readRecord(root, runId).reason).toMatch(/^by ftm cancel; partitions committed what they had finished/)
    expect(Number((await countRows(root, runId)).firms)).toBe(stopped.firmsCommitted)
  })

  it('a run whose CLI was killed but whose workers finished is settled by `ftm status` from storage', async () => {
    // Given a one-partition run whose `ftm run` is killed while its worker goes on to the end
    const {file} = sampleSubset({firms: 4, quarters: [quarter]})
    const root = temporaryFolder()
    const cli = startCli(['run', '--source', file, '--root', root, '--partitions', '1', '--checkpoint-interval', '1'])
    const first = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.phase === 'running' ? current : undefined
    })
    started.push(first.pid)
    cli.kill('SIGKILL')
    await cli
    await waitFor(() => (readPartitionProgress(root, quarter)?.phase === 'done' ? true : undefined))
    const runId = onlyRunId(root)!
    expect(readRecord(root, runId).status).toBe('running')
    // When anyone asks for its status
    const status = parseJson<RunStatusReport>(await runCli(['status', runId, '--root', root, '--json']))
    // Then the record is settled as succeeded
    expect(status).toMatchObject({status: 'succeeded', monitor: {alive: false}, totals: {firmsDone: 4, firmsCommitted: 4}})
    expect(readRecord(root, runId)).toMatchObject({status: 'succeeded', finishedAt: expect.any(String)})
  })

  it('runs several quarters as one run with one progress view, and a resume skips what is done', async () => {
    // Given a run over two quarters (a range)
    const {file} = sampleSubset({firms: 3, quarters: ['2024Q1', '2024Q2']})
    const root = temporaryFolder()
    const run = await runCli(['run', '--source', file, '--root', root, '--quarters', '2024Q1..2024Q2', '--parallel', '2', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const {runId} = parseJson<RunResult>(run)
    // Then one status covers both quarters
    const status = parseJson<RunStatusReport>(await runCli(['status', runId, '--root', root, '--json']))
    expect(status.quarters.map((entry) => [entry.quarter, entry.firmsDone])).toEqual([
      ['2024Q1', 3],
      ['2024Q2', 3],
    ])
    expect(status.partitions.every((partition) => partition.phase === 'succeeded')).toBe(true)
    expect(status.totals).toMatchObject({firms: 6, firmsDone: 6, phases: {succeeded: status.partitions.length}})
    // And `ftm status --watch` shows the run's progress view over both quarters, then the report
    const watched = await runCli(['status', runId, '--root', root, '--watch'])
    expect(watched.exitCode, watched.stderr).toBe(0)
    expect(watched.stdout).toMatch(/^2024Q1 part-00000 .*2\/2 firms.*succeeded$/m)
    expect(watched.stdout).toMatch(/^2024Q2 part-00000 .*succeeded$/m)
    expect(watched.stdout).toContain(`Run ${runId}: succeeded`)
    // When it is resumed although finished
    const again = await runCli(['run', '--resume', runId, '--root', root, '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    // Then no partition ran again, and each quarter holds each of its firms once
    const progress = status.partitions.map((partition) => readPartitionProgress(root, partition.quarter, partition.partition)!)
    expect(progress.every((entry) => entry.attempt === 1)).toBe(true)
    for (const quarterName of ['2024Q1', '2024Q2']) expectFirmsOnce(await countRows(root, runId, quarterName), 3)
  })
})
