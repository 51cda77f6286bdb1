import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {DetachedRunResult, RunResult} from '../../src/commands/run.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import {parseJson, runCli} from '../support/cli.js'
import {FakeChatServer} from '../../fakes/fake-chat-server.js'
import {startFakeBatch, type FakeBatch} from '../../fakes/fake-batch/server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {countRows, expectFirmsOnce} from '../support/table-counts.js'
import {readPartitionProgress} from '../support/wait-for.js'

const quarter = '2024Q1'
const awsEnvironment = {AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_PROFILE: ''}
/** An image whose entrypoint exits 0 without doing anything (a wrong entrypoint). */
const idleImage = 'ftm-pipeline:exits-0-idle'
let fake: FakeBatch
let llm: FakeChatServer

const cli = (args: string[]) => runCli(args, {environment: awsEnvironment})
const batchFlags = (): string[] => ['--executor', 'batch', '--set', `batch.endpoint=${fake.endpoint}`, '--set', 'worker.spotWatch=off']
const submitCalls = (): number => fake.calls.filter((call) => call.operation === 'SubmitJob').length

describe('a Batch run judged by its data (issue 19)', () => {
  beforeAll(async () => {
    fake = await startFakeBatch({images: {[idleImage]: {file: process.execPath, arguments: ['-e', 'process.exit(0)']}}})
    // Every naming waits 300 ms: the first submission's jobs are still at work when the run is resumed.
    llm = await FakeChatServer.start({latencyMs: 300})
  })
  afterAll(async () => {
    await fake?.close()
    await llm?.close()
  })

  const setup = async (image: string): Promise<void> => {
    const create = ['--create', '--subnets', 'subnet-1', '--security-groups', 'sg-1', '--instance-role', 'ecsInstanceRole']
    const result = await cli(['batch', 'setup', '--image', image, ...create, '--set', `batch.endpoint=${fake.endpoint}`, '--json'])
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
  }

  it('a job that exits 0 without committing its firms fails the run, naming the count and the entrypoint', async () => {
    // Given a job definition whose image exits 0 at once
    await setup(idleImage)
    const {file, firmIds} = sampleSubset({firms: 4, quarters: [quarter]})
    const root = temporaryFolder()
    // When a run uses it
    const result = await cli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '2', ...batchFlags(), '--json'])
    // Then Batch says SUCCEEDED, but the run failed: nothing was committed
    expect(result.exitCode, result.stdout + result.stderr).toBe(1)
    const run = parseJson<RunResult>(result)
    expect(run.status).toBe('failed')
    expect(run.reason).toContain(`${quarter} partition 0: the worker exited 0 but committed 0 of ${firmIds.length / 2} firms: check the image's entrypoint`)
    const status = parseJson<RunStatusReport>(await cli(['status', run.runId, '--root', root, '--json']))
    expect(status.partitions.map((partition) => partition.phase)).toEqual(['failed', 'failed'])
    expect(status.partitions[1]!.reason).toMatch(/committed 0 of 2 firms/)
  })

  it('a resume while the first jobs still run, and again after they finished, submits nothing: every firm exactly once', async () => {
    // Given a detached Batch run whose jobs are still at work (the real worker image)
    await setup('ftm-pipeline:test')
    const {file, firmIds} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder()
    const paced = ['--set', `llm.baseUrl=${llm.url}`, '--set', 'llm.model=pace', '--checkpoint-interval', '1']
    const before = submitCalls()
    const detached = await cli(['run', '--source', file, '--root', root, '--partitions', '2', '--parallel', '2', ...paced, ...batchFlags(), '--detach', '--json'])
    expect(detached.exitCode, detached.stderr).toBe(0)
    const {runId} = parseJson<DetachedRunResult>(detached)
    expect(submitCalls()).toBe(before + 1)

    // When it is resumed at once: both partitions are pending or running in Batch
    const resumed = await cli(['run', '--resume', runId, '--root', root, '--json'])
    // Then the resume watched the first jobs to their end and submitted nothing
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    expect(submitCalls()).toBe(before + 1)
    // No partition ran twice (one attempt each, none started by the resume)
    for (const partition of [0, 1]) expect(readPartitionProgress(root, quarter, partition)).toMatchObject({phase: 'done', attempt: 1, firmsResumed: 0})

    // When it is resumed again after everything finished: the done partitions are not submitted again
    const again = await cli(['run', '--resume', runId, '--root', root, '--json'])
    expect(again.exitCode, again.stdout + again.stderr).toBe(0)
    expect(parseJson<RunResult>(again).status).toBe('succeeded')
    expect(submitCalls()).toBe(before + 1)
    expectFirmsOnce(await countRows(root, runId), firmIds.length)
  })

  it('a chain with one failed partition: the resume submits that partition and the unrun rest of its chain, never the done one', async () => {
    // Given a --parallel 1 chain of three partitions whose middle one fails (its manifest is missing when it starts),
    // so the last fails unrun with Batch's "Dependent Job failed"
    await setup('ftm-pipeline:test')
    const {file, firmIds} = sampleSubset({firms: 6, quarters: [quarter]})
    const root = temporaryFolder()
    const paced = ['--set', `llm.baseUrl=${llm.url}`, '--set', 'llm.model=pace', '--checkpoint-interval', '1']
    const detached = await cli(['run', '--source', file, '--root', root, '--partitions', '3', '--parallel', '1', ...paced, ...batchFlags(), '--detach', '--json'])
    expect(detached.exitCode, detached.stderr).toBe(0)
    const {runId} = parseJson<DetachedRunResult>(detached)
    const manifest = path.join(root, 'runs', runId, 'manifests', quarter, 'part-00001.json')
    const saved = readFileSync(manifest, 'utf8')
    rmSync(manifest)
    const settled = async (): Promise<RunStatusReport> => parseJson<RunStatusReport>(await cli(['status', runId, '--root', root, '--json']))
    const ended = (status: RunStatusReport): boolean => status.partitions.every((partition) => partition.phase === 'failed' || partition.phase === 'succeeded')
    let report = await settled()
    while (!ended(report)) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      report = await settled()
    }
    expect(report.partitions.map((partition) => partition.phase)).toEqual(['succeeded', 'failed', 'failed'])
    expect(report.partitions[2]!.reason).toContain('Dependent Job failed')
    const submits = submitCalls()
    const callsBefore = fake.calls.length

    // When the manifest is back and the run is resumed
    writeFileSync(manifest, saved)
    const resumed = await cli(['run', '--resume', runId, '--root', root, '--json'])

    // Then only partitions 1 and 2 were submitted (a chain of two), partition 0 ran once, and every firm is there once
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0)
    expect(parseJson<RunResult>(resumed).status).toBe('succeeded')
    expect(submitCalls()).toBe(submits + 2)
    expect(fake.calls.slice(callsBefore).filter((call) => call.operation === 'SubmitJob').map((call) => call.body.jobName)).toEqual([
      `ftm-${runId}-${quarter}-p00001`,
      `ftm-${runId}-${quarter}-p00002`,
    ])
    expect(readPartitionProgress(root, quarter, 0)).toMatchObject({phase: 'done', attempt: 1})
    expectFirmsOnce(await countRows(root, runId), firmIds.length)
  })
})
