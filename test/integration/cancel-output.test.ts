import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import type {DetachedRunResult} from '../../src/commands/run.js'
import {isProcessAlive} from '../../src/core/run/process-liveness.js'
import {FakeChatServer} from '../../fakes/fake-chat-server.js'
import {parseJson, runCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {readPartitionProgress, readRecord, waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const started: number[] = []

afterEach(() => {
  for (const pid of started.splice(0)) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL')
})

/** Lines that are only a number (the stray "20" the issue saw after `ftm cancel`). */
const bareNumbers = (text: string): string[] => text.split('\n').filter((line) => /^\s*\d+\s*$/.test(line))

describe("ftm cancel's words", () => {
  // A fake LLM answering after 1 s keeps the partition at work until it is cancelled, however fast the machine.
  let llm: FakeChatServer
  beforeAll(async () => {
    llm = await FakeChatServer.start({latencyMs: 1000})
  })
  afterAll(async () => llm.close())

  it('says once that the run was cancelled and how to continue it, with no bare number, and so does the run it stopped', async () => {
    const {file} = sampleSubset({firms: 20, quarters: [quarter]})
    const root = temporaryFolder()
    const paced = ['--set', `llm.baseUrl=${llm.url}`, '--set', 'llm.model=pace']
    const detached = parseJson<DetachedRunResult>(await runCli(['run', '--source', file, '--root', root, '--checkpoint-interval', '1', '--detach', ...paced, '--json']))
    started.push(detached.monitor!.pid)
    const progress = await waitFor(() => {
      const current = readPartitionProgress(root, quarter)
      return current && current.firmsCommitted >= 1 && current.phase === 'running' ? current : undefined
    })
    started.push(progress.pid)

    const cancelled = await runCli(['cancel', detached.runId, '--root', root])
    expect(cancelled.exitCode, cancelled.stderr).toBe(0)
    expect(cancelled.stdout.trim().split('\n')).toEqual([`Run ${detached.runId} cancelled. Continue it with:  ftm run --resume ${detached.runId} --root ${root}`])
    expect(cancelled.stderr).toBe('')
    expect(readRecord(root, detached.runId).status).toBe('cancelled')

    // The run's own output (what an attached `ftm run` prints) names the reason once and carries no bare number either.
    await waitFor(() => (isProcessAlive(detached.monitor!.pid) ? undefined : true))
    const monitorLog = readFileSync(path.join(root, 'runs', detached.runId, 'logs', 'monitor.log'), 'utf8')
    expect(bareNumbers(monitorLog)).toEqual([])
    expect(monitorLog).not.toMatch(/cancelled: cancelled/)
    expect(monitorLog).toContain(`Run ${detached.runId} cancelled: `)

    // Cancelling it again says it had finished, in one line.
    const again = await runCli(['cancel', detached.runId, '--root', root])
    expect(again.stdout.trim().split('\n')).toEqual([`Run ${detached.runId} had already finished (cancelled); nothing to cancel.`])
  })
})
