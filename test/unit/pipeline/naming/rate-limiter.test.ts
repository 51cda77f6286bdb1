import {describe, expect, it} from 'vitest'
import {backoffDelay, maxRetryWaitMs, parseRetryAfter} from '../../../../src/pipeline/naming/backoff.js'
import type {Clock} from '../../../../src/base/clock.js'
import {RateLimiter} from '../../../../src/pipeline/naming/rate-limiter.js'

describe('backoff and Retry-After', () => {
  it('doubles the delay per retry, jittered between half and all of it, capped', () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, 500, () => 1))).toEqual([500, 1000, 2000, 4000])
    expect([0, 1, 2, 3].map((retry) => backoffDelay(retry, 500, () => 0))).toEqual([250, 500, 1000, 2000])
    expect(backoffDelay(30, 500, () => 1)).toBe(maxRetryWaitMs)
  })

  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter('0.5')).toBe(500)
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('99999')).toBe(maxRetryWaitMs)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('RateLimiter', () => {
  const virtualClock = (): Clock & {starts: number[]} => {
    let time = 0
    return {
      starts: [],
      now: () => time,
      sleep: async (ms) => {
        time += ms
      },
    }
  }

  it('spaces request starts 60000 / rpm ms apart, in call order', async () => {
    const clock = virtualClock()
    const limiter = new RateLimiter(600, clock)
    const starts: number[] = []
    for (let request = 0; request < 5; request++) {
      await limiter.acquire()
      starts.push(clock.now())
    }
    expect(starts).toEqual([0, 100, 200, 300, 400])
  })

  it('lets a request through at once after a quiet spell, and not at all when the limit is 0', async () => {
    const clock = virtualClock()
    const limiter = new RateLimiter(60, clock)
    await limiter.acquire()
    await clock.sleep(5000)
    await limiter.acquire()
    expect(clock.now()).toBe(5000)
    const unlimited = new RateLimiter(0, clock)
    for (let request = 0; request < 100; request++) await unlimited.acquire()
    expect(clock.now()).toBe(5000)
  })

  it('allows at most rpm starts in any minute', async () => {
    const clock = virtualClock()
    const limiter = new RateLimiter(500, clock)
    const starts: number[] = []
    for (let request = 0; request < 1200; request++) {
      await limiter.acquire()
      starts.push(clock.now())
    }
    const mostInAMinute = Math.max(...starts.map((start) => starts.filter((other) => other >= start && other < start + 60_000).length))
    expect(mostInAMinute).toBe(500)
  })
})
