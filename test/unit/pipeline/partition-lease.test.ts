import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ExitCode} from '../../../src/base/exit-codes.js'
import {LocalStorage} from '../../../src/storage/local-storage.js'
import {numberedClaimKey} from '../../../src/storage/numbered-claims.js'
import {readJson, writeJson} from '../../../src/storage/storage.js'
import {type LeaseClaim, LeaseLostError, type LeaseTime, PartitionBusyError, takePartitionLease} from '../../../src/pipeline/partition-lease.js'

const prefix = 'runs/r/leases/2024Q1/part-00000/claim-'
const settings = {leaseExpirySeconds: 10, leaseWaitSeconds: 0}

/** Wall-clock time that moves only when told to or when a waiter sleeps; `onSleep` lets a test act during a wait. */
function fakeTime(onSleep: () => Promise<void> = async () => {}): LeaseTime & {advance: (ms: number) => void; sleeps: number} {
  let now = Date.parse('2026-12-02T06:00:00Z')
  const time = {
    sleeps: 0,
    wallNow: () => now,
    advance: (ms: number) => {
      now += ms
    },
    sleep: async (ms: number) => {
      time.sleeps++
      now += ms
      await onSleep()
    },
  }
  return time
}

const newStorage = (): LocalStorage => new LocalStorage(mkdtempSync(path.join(os.tmpdir(), 'ftm-lease-')))
const quiet = {signal: new AbortController().signal, log: () => {}}

describe('partition lease', () => {
  it('lets one worker hold a partition: a second one that may not wait stops with the holder named (exit 4)', async () => {
    const storage = newStorage()
    const time = fakeTime()
    const first = await takePartitionLease(storage, prefix, settings, {...quiet, time, environment: {AWS_BATCH_JOB_ID: 'job-1', AWS_BATCH_JOB_ATTEMPT: '1'}})
    expect(first?.generation).toBe(0)
    const second = takePartitionLease(storage, prefix, settings, {...quiet, time})
    await expect(second).rejects.toThrow(PartitionBusyError)
    const error = (await second.catch((caught: unknown) => caught)) as PartitionBusyError
    expect(error.exitCode).toBe(ExitCode.partitionBusy)
    expect(error.message).toContain(`attempt ${first!.claim.attemptId} (pid ${process.pid} on ${os.hostname()}, Batch job job-1 attempt 1`)
    expect(error.message).toContain('stopped without touching its files')
    // The holder is untouched: it still confirms
    await expect(first!.confirm()).resolves.toBeUndefined()
  })

  it('makes a second worker wait until the holder releases, then gives it the next claim', async () => {
    const storage = newStorage()
    const lines: string[] = []
    const held: {lease?: Awaited<ReturnType<typeof takePartitionLease>>} = {}
    const time = fakeTime(async () => {
      if (time.sleeps === 3) await held.lease!.release()
    })
    held.lease = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    // The holder renews at each confirm, so a long wait never sees it expire
    const waiter = await takePartitionLease(storage, prefix, {leaseExpirySeconds: 10, leaseWaitSeconds: 3600}, {signal: quiet.signal, log: (line) => lines.push(line), time})
    expect(waiter?.generation).toBe(1)
    expect(time.sleeps).toBe(3)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('waiting up to 3600 s')
    expect((await readJson<LeaseClaim>(storage, numberedClaimKey(prefix, 0)))?.releasedAt).toBeDefined()
  })

  it('takes over an expired lease; the old holder then finds it lost and stops without committing (exit 4)', async () => {
    const storage = newStorage()
    const time = fakeTime()
    const killed = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    time.advance(10_001)
    const next = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    expect(next?.generation).toBe(1)
    const lost = (await killed!.confirm().catch((error: unknown) => error)) as LeaseLostError
    expect(lost).toBeInstanceOf(LeaseLostError)
    expect(lost).toMatchObject({takenOver: true, exitCode: ExitCode.partitionBusy})
    // A lost holder never marks the new holder's lease released
    await killed!.release()
    expect((await readJson<LeaseClaim>(storage, numberedClaimKey(prefix, 1)))?.releasedAt).toBeUndefined()
    await expect(next!.confirm()).resolves.toBeUndefined()
  })

  it('of two workers taking over the same expired lease at once, exactly one wins', async () => {
    const storage = newStorage()
    const time = fakeTime()
    await takePartitionLease(storage, prefix, settings, {...quiet, time})
    time.advance(10_001)
    const results = await Promise.allSettled(Array.from({length: 6}, () => takePartitionLease(storage, prefix, settings, {...quiet, time})))
    const won = results.filter((result) => result.status === 'fulfilled')
    expect(won).toHaveLength(1)
    expect(results.filter((result) => result.status === 'rejected' && result.reason instanceof PartitionBusyError)).toHaveLength(5)
    expect(await storage.list(prefix)).toHaveLength(2)
  })

  it('counts a lease that ran out without renewal as lost even when nobody took it (exit 75, retried)', async () => {
    const storage = newStorage()
    const time = fakeTime()
    const lease = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    time.advance(10_000)
    const lost = (await lease!.confirm().catch((error: unknown) => error)) as LeaseLostError
    expect(lost).toMatchObject({takenOver: false, exitCode: ExitCode.transient})
    expect(lost.message).toContain('worker.leaseExpirySeconds = 10 s')
  })

  it('renews on confirm, so a holder that keeps confirming never expires', async () => {
    const storage = newStorage()
    const time = fakeTime()
    const lease = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    for (let step = 0; step < 5; step++) {
      time.advance(6000)
      await lease!.confirm()
    }
    await expect(takePartitionLease(storage, prefix, settings, {...quiet, time})).rejects.toThrow(PartitionBusyError)
  })

  it('takes a lease at once from a holder on this machine whose process is gone', async () => {
    const storage = newStorage()
    const time = fakeTime()
    const holder = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'})
    await writeJson(storage, numberedClaimKey(prefix, 0), {...holder!.claim, pid: Number(dead.stdout.trim())})
    const next = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    expect(next?.generation).toBe(1)
  })

  it('does not trust a pid recorded on another host: that lease is waited for until it expires', async () => {
    const storage = newStorage()
    const time = fakeTime()
    const holder = await takePartitionLease(storage, prefix, settings, {...quiet, time})
    await writeJson(storage, numberedClaimKey(prefix, 0), {...holder!.claim, host: 'spot-instance-gone', pid: 999_999})
    const next = await takePartitionLease(storage, prefix, {leaseExpirySeconds: 10, leaseWaitSeconds: 60}, {...quiet, time})
    expect(next?.generation).toBe(1)
    expect(time.sleeps).toBeGreaterThan(0)
  })

  it('stops waiting when the worker is told to stop', async () => {
    const storage = newStorage()
    const stop = new AbortController()
    const time = fakeTime(async () => stop.abort())
    await takePartitionLease(storage, prefix, settings, {...quiet, time})
    const waiter = await takePartitionLease(storage, prefix, {leaseExpirySeconds: 10, leaseWaitSeconds: 3600}, {signal: stop.signal, log: () => {}, time})
    expect(waiter).toBeUndefined()
  })
})
