import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import type {Executor, JobHandle, JobPhase} from '../../../../src/core/executor.js'
import type {Clock} from '../../../../src/base/clock.js'
import {monitorRun} from '../../../../src/core/run/monitor-run.js'
import {isUserError} from '../../../../src/base/errors.js'
import {LocalStorage} from '../../../../src/storage/local-storage.js'
import type {Storage} from '../../../../src/storage/storage.js'

/** A clock whose sleeps pass at once but move its time on, so retry budgets are spent without waiting. */
function steppingClock(): Clock & {slept: number[]} {
  let now = 0
  const slept: number[] = []
  return {slept, now: () => now, sleep: async (milliseconds) => void (slept.push(milliseconds), (now += milliseconds))}
}

/** Real local storage whose listing fails with `fault` for the first `failures` calls. */
function faultyStorage(fault: () => Error, failures: number): Storage {
  const storage = new LocalStorage(mkdtempSync(path.join(tmpdir(), 'ftm-monitor-')))
  let calls = 0
  return Object.assign(Object.create(storage) as Storage, {list: async (prefix: string) => (++calls <= failures ? Promise.reject(fault()) : storage.list(prefix))})
}

const handle: JobHandle = {executor: 'test', runId: '20261202-010000-abcd', quarter: '2024Q1', partition: 0, id: 'job-0'}

/** An executor whose only job runs for `rounds` looks, then succeeds. */
function executorFinishingAfter(rounds: number): Executor {
  let looks = 0
  const phase = (): JobPhase => (++looks > rounds ? 'succeeded' : 'running')
  return {
    name: 'test',
    capabilities: {remote: false, detached: false},
    prepare: async () => {},
    submit: async () => [handle],
    status: async (handles) => handles.map((item) => ({handle: item, phase: phase()})),
    logs: async function* () {},
    cancel: async () => {},
  }
}

const slowDown = (): Error => Object.assign(new Error('Please reduce your request rate.'), {name: 'SlowDown', $metadata: {httpStatusCode: 503}})
const reset = (): Error => Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'})
const internal = (): Error => Object.assign(new Error('We encountered an internal error.'), {name: 'InternalError', $metadata: {httpStatusCode: 500}})

describe('monitorRun under storage faults', () => {
  it('retries S3 SlowDown, 500 and ECONNRESET with backoff and watches the run to its end', async () => {
    for (const fault of [slowDown, internal, reset]) {
      // Given storage that fails the monitor's first three looks
      const clock = steppingClock()
      const retries: string[] = []
      // When the monitor watches a run that finishes on its second round
      const view = await monitorRun({storage: faultyStorage(fault, 3), executor: executorFinishingAfter(1), runId: handle.runId, handles: [handle], onUpdate: () => {}, clock, onRetry: (line) => retries.push(line)})
      // Then it retried each fault and saw the job succeed
      expect(view.finished).toBe(true)
      expect(view.partitions[0]?.state.phase).toBe('succeeded')
      expect(retries).toHaveLength(3)
      expect(clock.slept.slice(0, 3).every((delay, index, all) => index === 0 || delay > all[index - 1]! / 2)).toBe(true)
    }
  })

  it('gives up after its budget with exit 75, saying the workers still run and how to follow them', async () => {
    const clock = steppingClock()
    const outcome = monitorRun({storage: faultyStorage(slowDown, Number.POSITIVE_INFINITY), executor: executorFinishingAfter(5), runId: handle.runId, handles: [handle], onUpdate: () => {}, clock, retryBudgetMs: 30_000, root: 's3://bucket/out'})
    const error: unknown = await outcome.catch((caught: unknown) => caught)
    expect(isUserError(error)).toBe(true)
    const userError = error as {exitCode: number; message: string; hint: string}
    expect(userError.exitCode).toBe(75)
    expect(userError.message).toMatch(/SlowDown.*after \d+ tries over 30 s\. Its workers are still running\./)
    expect(userError.hint).toContain(`ftm status ${handle.runId} --watch --root s3://bucket/out`)
    expect(clock.now()).toBeLessThanOrEqual(30_000)
  })

  it('does not retry an error no rule knows', async () => {
    let looks = 0
    const broken = {...executorFinishingAfter(0), status: async () => { looks++; throw new TypeError('handles is not iterable') }}
    await expect(monitorRun({storage: faultyStorage(slowDown, 0), executor: broken, runId: handle.runId, handles: [handle], onUpdate: () => {}, clock: steppingClock()})).rejects.toThrow(TypeError)
    expect(looks).toBe(1)
  })
})
