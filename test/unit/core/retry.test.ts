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
