import {type ChildProcess, spawn} from 'node:child_process'
import {hostname} from 'node:os'
import {afterEach, describe, expect, it} from 'vitest'
import {progressKey} from '../../src/core/layout.js'
import type {PartitionProgress} from '../../src/core/progress.js'
import {monitorClaimsPrefix} from '../../src/core/run/monitor-lease.js'
import {isProcessAlive} from '../../src/core/run/process-liveness.js'
import {writeJson} from '../../src/storage/storage.js'
import {startCli} from '../support/cli.js'
import {prepareRun} from '../support/prepared-run.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'

const quarter = '2024Q1'
const started: ChildProcess[] = []

afterEach(() => {
  for (const child of started.splice(0)) if (child.pid && isProcessAlive(child.pid)) child.kill('SIGKILL')
})

describe('the monitor claim of a run (issue 20)', () => {
  it('of two `ftm run --resume` started at the same moment, exactly one proceeds, 20 times; the other exits 2 naming it', async () => {
    // Given a recorded run on the process executor whose one partition has a worker still at work: whichever resume
    // proceeds waits for that worker instead of starting a second one, so it is alive while the other one looks.
    const {file} = sampleSubset({firms: 2, quarters: [quarter]})
    const root = temporaryFolder()
    const {storage, record} = await prepareRun({source: file, root, partitions: 1})
    for (let round = 0; round < 20; round++) {
      const worker = spawn('sleep', ['600'], {stdio: 'ignore'})
      started.push(worker)
      await writeJson(storage, progressKey(record.id, quarter, 0), stillAtWork(record.id, worker.pid!))
      const claimsBefore = (await storage.list(monitorClaimsPrefix(record.id))).length

      // When two resumes start at the same moment
      const resumes = [0, 1].map(() => startCli(['run', '--resume', record.id, '--root', root]))
      for (const resume of resumes) if (resume.pid) started.push(resume as unknown as ChildProcess)

      // Then one of them stops with exit 2 while the other holds the run (never two claims in one round)
      let decided = false
      const first = await Promise.race([
        ...resumes.map(async (resume, index) => ({index, result: await resume})),
        (async () => {
          while (!decided && (await storage.list(monitorClaimsPrefix(record.id))).length < claimsBefore + 2) await new Promise((resolve) => setTimeout(resolve, 50))
          return {index: -1, result: undefined}
        })(),
      ])
      decided = true
      expect(first.index, `round ${round}: both resumes claimed the run`).not.toBe(-1)
      const loser = first.result!
      const winner = resumes[1 - first.index]!
      expect(loser.exitCode, `round ${round}: ${String(loser.stderr)}`).toBe(2)
      expect(String(loser.stderr)).toContain(`is already being run by process ${winner.pid} on ${hostname()}`)
      expect(String(loser.stderr)).toContain(`ftm cancel ${record.id}`)
      expect(isProcessAlive(winner.pid!)).toBe(true)
      expect(await storage.list(monitorClaimsPrefix(record.id))).toHaveLength(claimsBefore + 1)

      // And the one that proceeds is stopped like any run: its cancel stops the worker it was waiting for
      winner.kill('SIGINT')
      const stopped = await winner
      expect(stopped.exitCode, String(stopped.stderr)).not.toBe(2)
      expect(isProcessAlive(worker.pid!)).toBe(false)
    }
  })
})

/** The progress file of a worker that is at work on this machine. */
function stillAtWork(runId: string, pid: number): PartitionProgress {
  const now = new Date().toISOString()
  return {
    runId,
    quarter,
    partition: 0,
    phase: 'running',
    firmsTotal: 2,
    firmsResumed: 0,
    firmsProcessed: 0,
    firmsFailed: 0,
    firmsCommitted: 0,
    chunksCommitted: 0,
    startedAt: now,
    updatedAt: now,
    rate: 0,
    attempt: 1,
    host: hostname(),
    pid,
  }
}
