import {describe, expect, it} from 'vitest'
import type {Clock} from '../../../src/base/clock.js'
import {poll} from '../../../src/core/poll.js'

function fakeClock(): Clock & {sleeps: number[]} {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds)
      now += milliseconds
    },
  }
}

describe('poll', () => {
  it('checks until done, sleeping the interval in between', async () => {
    const clock = fakeClock()
    let checks = 0
    expect(await poll(async () => ++checks === 3, {interval: 500, clock})).toBe('done')
    expect(clock.sleeps).toEqual([500, 500])
  })

  it('raises the interval to its floor', async () => {
    const clock = fakeClock()
    let checks = 0
    await poll(async () => ++checks === 2, {interval: 1, minimumInterval: 250, clock})
    expect(clock.sleeps).toEqual([250])
  })

  it('gives up at the timeout', async () => {
    const clock = fakeClock()
    expect(await poll(async () => false, {interval: 400, timeout: 1000, clock})).toBe('timeout')
    expect(clock.sleeps).toEqual([400, 400, 200])
  })

  it('stops when the signal aborts', async () => {
    const controller = new AbortController()
    let checks = 0
    const outcome = await poll(
      async () => {
        if (++checks === 2) controller.abort()
        return false
      },
      {interval: 100, clock: fakeClock(), signal: controller.signal},
    )
    expect(outcome).toBe('aborted')
    expect(checks).toBe(2)
  })
})
