import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {partitionLeasePrefix} from '../../src/core/layout.js'
import {readProgress} from '../../src/core/progress.js'
import type {RunRecord} from '../../src/core/run-record.js'
import type {LeaseClaim} from '../../src/pipeline/partition-lease.js'
import {latestClaim} from '../../src/storage/numbered-claims.js'
import {type Storage, writeJson} from '../../src/storage/storage.js'
import {prepareRun, startWorker} from '../support/prepared-run.js'
import {startS3Server, type S3Server} from '../support/s3-server.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'
import {countRows, expectFirmsOnce} from '../support/table-counts.js'
import {waitFor} from '../support/wait-for.js'

const quarter = '2024Q1'
const firms = 24

/** Polls the partition's progress in storage (local or S3) until `check` accepts it. */
async function progressWhen(storage: Storage, record: RunRecord, check: (progress: NonNullable<Awaited<ReturnType<typeof readProgress>>>) => boolean, worker: PromiseLike<unknown>) {
  let seen: Awaited<ReturnType<typeof readProgress>>
  const poll = async (): Promise<void> => {
    seen = await readProgress(storage, record.id, quarter, 0)
  }
  await poll()
  return waitFor(() => {
    void poll()
    return seen && check(seen) ? seen : undefined
  }, 25, worker)
}

const midPartition = (progress: {phase: string; firmsCommitted: number}): boolean => progress.phase === 'running' && progress.firmsCommitted >= 2 && progress.firmsCommitted <= 6

describe('a second worker on the same partition', () => {
  it('stops at once with the holder named (exit 4) when it may not wait; the first one finishes every firm exactly once', async () => {
    // Given a worker in the middle of its partition, on a local root
    const {file} = sampleSubset({firms, quarters: [quarter]})
    const root = temporaryFolder('ftm-lease-root-')
    const {storage, record} = await prepareRun({source: file, root, partitions: 1, set: ['worker.checkpointInterval=2', 'worker.progressIntervalSeconds=0', 'worker.leaseWaitSeconds=0']})
    const first = startWorker(storage, record, quarter)
    const running = await progressWhen(storage, record, midPartition, first)

    // When a second worker starts on the same partition (a duplicate job, a resume that did not see the first)
    const second = await startWorker(storage, record, quarter)

    // Then it stops without touching anything, saying who holds the partition
    expect(second.exitCode, String(second.stderr)).toBe(4)
    expect(second.stderr).toContain('another worker holds this partition')
    expect(second.stderr).toContain(`pid ${running.pid}`)
    expect(second.stderr).not.toContain('firms to do')
    // and the first worker's progress file is still its own
    expect((await readProgress(storage, record.id, quarter, 0))?.pid).toBe(running.pid)
    const done = await first
    expect(done.exitCode, String(done.stderr)).toBe(0)
    expectFirmsOnce(await countRows(root, record.id), firms)
    // The first released its lease on the way out: a later attempt takes the next claim at once
    const latest = await latestClaim<LeaseClaim>(storage, partitionLeasePrefix(record.id, quarter, 0))
    expect(latest?.value?.releasedAt).toBeDefined()
  })

  it('takes over a lease whose worker died on another machine once it expires, and finishes the partition', async () => {
    // Given a worker killed mid-partition whose claim says it ran on another host (a reclaimed Spot instance)
    const {file} = sampleSubset({firms, quarters: [quarter]})
    const root = temporaryFolder('ftm-lease-root-')
    const {storage, record} = await prepareRun({source: file, root, partitions: 1, set: ['worker.checkpointInterval=2', 'worker.progressIntervalSeconds=0', 'worker.leaseWaitSeconds=600']})
    const first = startWorker(storage, record, quarter)
    await progressWhen(storage, record, midPartition, first)
    first.kill('SIGKILL')
    await first
    const prefix = partitionLeasePrefix(record.id, quarter, 0)
    const claim = (await latestClaim<LeaseClaim>(storage, prefix))!
    expect(claim.value?.releasedAt).toBeUndefined()
    const elsewhere = {...claim.value, host: 'ip-10-0-0-1.ec2.internal'}
    await writeJson(storage, claim.key, {...elsewhere, expiresAt: new Date(Date.now() + 3_600_000).toISOString()})

    // When the retry attempt starts, and the dead worker's lease then runs out
    const retrying = startWorker(storage, record, quarter)
    let log = ''
    retrying.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
    await waitFor(() => (log.includes('waiting up to 600 s') ? true : undefined), 25, retrying)
    await writeJson(storage, claim.key, {...elsewhere, expiresAt: new Date(Date.now() - 1000).toISOString()})
    const retry = await retrying

    // Then it waited for the lease to expire, took the next claim, and every firm is there exactly once
    expect(retry.exitCode, String(retry.stderr)).toBe(0)
    expect(retry.stderr).toContain('waiting up to 600 s')
    expect(retry.stderr).toMatch(/\d+ of 24 firms to do \(attempt 2\)/)
    expect((await latestClaim<LeaseClaim>(storage, prefix))?.generation).toBe(1)
    expectFirmsOnce(await countRows(root, record.id), firms)
  })
})

describe('two workers on one partition with storage on S3', () => {
  let server: S3Server
  const saved = {...process.env}
  beforeAll(async () => {
    server = await startS3Server(['ftm-lease'])
    Object.assign(process.env, server.environment)
  })
  afterAll(async () => {
    process.env = saved
    await server?.stop()
  })

  it('makes the second wait until the first is done; it then finds nothing to do, and every firm is there once', async () => {
    // Given a worker in the middle of its partition, on an S3 root
    const {file} = sampleSubset({firms, quarters: [quarter]})
    const root = 's3://ftm-lease/output'
    const {storage, record} = await prepareRun({source: file, root, partitions: 1, set: ['worker.checkpointInterval=2', 'worker.progressIntervalSeconds=0', 'worker.leaseWaitSeconds=600']})
    const first = startWorker(storage, record, quarter)
    await progressWhen(storage, record, midPartition, first)

    // When a second worker starts on the same partition, with time to wait
    const second = startWorker(storage, record, quarter)
    const [firstResult, secondResult] = await Promise.all([first, second])

    // Then the second waited, took the lease after the first released it, and had nothing left to do
    expect(firstResult.exitCode, String(firstResult.stderr)).toBe(0)
    expect(secondResult.exitCode, String(secondResult.stderr)).toBe(0)
    expect(secondResult.stderr).toContain('another worker holds this partition')
    expect(secondResult.stderr).toContain(`0 of ${firms} firms to do (attempt 2)`)
    expect(firstResult.stderr).toMatch(new RegExp(`\\d+ of ${firms} firms to do \\(attempt 1\\)`))
    // What the lease costs on S3 (BENCHMARKS.md, issue 19): its requests beside all the workers' requests
    const leaseRequests = server.requests.filter((request) => request.includes('/leases/')).length
    console.log(`partition lease on S3: ${leaseRequests} of ${server.requests.length} requests for two workers, ${firms} firms, checkpoint every 2`)
    expectFirmsOnce(await countRows(root, record.id, undefined, {...server.environment, FTM_CACHE_DIR: temporaryFolder('ftm-lease-cache-')}), firms)
  })
})
