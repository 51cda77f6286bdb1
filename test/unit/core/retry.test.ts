import {describe, expect, it} from 'vitest'
import type {Clock} from '../../../src/base/clock.js'
import {isTransientError, withRetry} from '../../../src/core/retry.js'
import {CriticalError} from '../../../src/pipeline/firm-error.js'
import {classifyWorkerError, commitWithRetry} from '../../../src/pipeline/storage-failures.js'
import {defaultConfig} from '../../../src/core/config/schema.js'
import {UserError} from '../../../src/base/errors.js'

const sleeps: number[] = []
const clock: Clock = {now: () => 0, sleep: async (milliseconds) => void sleeps.push(milliseconds)}
const codeError = (code: string): Error => Object.assign(new Error(code), {code})

describe('withRetry', () => {
  it('retries transient errors with exponential backoff and returns the first success', async () => {
    sleeps.length = 0
    let calls = 0
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw codeError('ECONNRESET')
        return 'ok'
      },
      {attempts: 5, baseDelayMs: 100, clock, random: () => 1},
    )
    expect(result).toBe('ok')
    expect(sleeps).toEqual([100, 200])
  })

  it('gives up after the attempts and never retries a permanent error', async () => {
    let calls = 0
    await expect(withRetry(async () => { calls++; throw codeError('ETIMEDOUT') }, {attempts: 3, baseDelayMs: 1, clock})).rejects.toThrow('ETIMEDOUT')
    expect(calls).toBe(3)
    calls = 0
    await expect(withRetry(async () => { calls++; throw codeError('EACCES') }, {attempts: 3, baseDelayMs: 1, clock})).rejects.toThrow('EACCES')
    expect(calls).toBe(1)
  })
})

describe('isTransientError', () => {
  it('knows network codes, HTTP 429/5xx, SDK retryable marks and wrapped causes', () => {
    expect(isTransientError(codeError('EAI_AGAIN'))).toBe(true)
    expect(isTransientError({$metadata: {httpStatusCode: 503}})).toBe(true)
    expect(isTransientError({statusCode: 429})).toBe(true)
    expect(isTransientError({$retryable: {throttling: true}})).toBe(true)
    expect(isTransientError(new Error('wrapped', {cause: codeError('ECONNREFUSED')}))).toBe(true)
    expect(isTransientError({$metadata: {httpStatusCode: 403}})).toBe(false)
    expect(isTransientError(new Error('plain'))).toBe(false)
  })
})

describe('storage failures', () => {
  const quick = {...defaultConfig.worker, retryAttempts: 2, retryBaseMs: 1}

  it('turns storage that refuses writes for good into a critical error', async () => {
    await expect(commitWithRetry(async () => { throw codeError('ENOSPC') }, quick, () => {})).rejects.toBeInstanceOf(CriticalError)
  })

  it('maps what ended a partition to the exit-code table', () => {
    expect(classifyWorkerError(new CriticalError('storage is not writable'))).toEqual({exitCode: 3, phase: 'tripped'})
    expect(classifyWorkerError(new UserError('bad', 'fix'))).toEqual({exitCode: 2, phase: 'failed'})
    expect(classifyWorkerError(codeError('ECONNRESET'))).toEqual({exitCode: 75, phase: 'failed'})
    expect(classifyWorkerError(new Error('bug'))).toEqual({exitCode: 1, phase: 'failed'})
  })
})

describe('retry budgets', () => {
  /** A clock whose sleeps move its time on at once. */
  const stepping = (): Clock => {
    let now = 0
    return {now: () => now, sleep: async (milliseconds) => void (now += milliseconds)}
  }

  it('stops retrying before a wait would end past the budget', async () => {
    const clock = stepping()
    let calls = 0
    await expect(withRetry(async () => { calls++; throw codeError('ECONNRESET') }, {attempts: 1000, baseDelayMs: 1000, maxDelayMs: 4000, budgetMs: 20_000, clock, random: () => 1})).rejects.toThrow('ECONNRESET')
    // waits 1 + 2 + 4 + 4 + 4 + 4 = 19 s, the next 4 s would pass 20 s
    expect(calls).toBe(7)
    expect(clock.now()).toBe(19_000)
  })

  it('lets a worker commit survive a storage blip of tens of seconds, then exits 75 saying what it retried', async () => {
    const clock = stepping()
    const worker = {...defaultConfig.worker, commitRetrySeconds: 60}
    let calls = 0
    const blip = async (): Promise<void> => {
      if (clock.now() < 25_000) { calls++; throw Object.assign(new Error('Service Unavailable'), {name: 'ServiceUnavailable', $metadata: {httpStatusCode: 503}}) }
    }
    await commitWithRetry(blip, worker, () => {}, clock)
    expect(calls).toBeGreaterThan(3)

    const outage = async (): Promise<void> => { throw codeError('ECONNRESET') }
    const error = await commitWithRetry(outage, {...worker, commitRetrySeconds: 20}, () => {}, stepping()).catch((caught: unknown) => caught)
    expect(classifyWorkerError(error).exitCode).toBe(75)
    expect((error as Error).message).toMatch(/ECONNRESET.*tries over up to 20 s \(worker\.commitRetrySeconds\)/)
  })

  it('gives a user-fixable edge error exit 2 in the worker', () => {
    expect(classifyWorkerError(codeError('EISDIR'))).toEqual({exitCode: 2, phase: 'failed'})
  })
})
