import {describe, expect, it} from 'vitest'
import {defaultConfig, type WorkerConfig} from '../../../src/core/config/schema.js'
import {CircuitBreaker} from '../../../src/pipeline/circuit-breaker.js'

const failure = {kind: 'model_error', message: 'boom'}
const config = (changes: Partial<WorkerConfig>): WorkerConfig => ({...defaultConfig.worker, ...changes})

describe('CircuitBreaker', () => {
  it('trips after N consecutive failures, and a success resets the count', () => {
    const breaker = new CircuitBreaker(config({breakerConsecutiveFailures: 3, breakerMinFirms: 1000}))
    expect([failure, failure, undefined, failure, failure].map((outcome) => breaker.record(outcome))).toEqual([false, false, false, false, false])
    expect(breaker.record(failure)).toBe(true)
    expect(breaker.reason).toMatch(/^3 firms failed in a row \(worker.breakerConsecutiveFailures = 3\); last: model_error: boom$/)
  })

  it('trips when the failure rate passes the threshold once enough firms were seen', () => {
    const breaker = new CircuitBreaker(config({breakerConsecutiveFailures: 100, breakerFailureRate: 0.3, breakerMinFirms: 10}))
    const outcomes = [failure, undefined, failure, undefined, failure, undefined, failure, undefined, undefined]
    expect(outcomes.some((outcome) => breaker.record(outcome))).toBe(false) // 4 of 9, but fewer than 10 firms seen
    expect(breaker.record(undefined)).toBe(false) // 4 of 10 = 0.4 > 0.3, but this firm succeeded
    expect(breaker.record(failure)).toBe(true) // 5 of 11
    expect(breaker.reason).toContain('5 of 11 firms failed, above worker.breakerFailureRate = 0.3')
  })

  it('tolerates rare failures under production defaults', () => {
    const breaker = new CircuitBreaker(defaultConfig.worker)
    const tripped = Array.from({length: 1000}, (_, index) => breaker.record(index % 50 === 0 ? failure : undefined))
    expect(tripped.some(Boolean)).toBe(false)
  })

  it('makes any failure fatal when failures are not allowed', () => {
    const breaker = new CircuitBreaker(config({allowFailures: false}))
    expect(breaker.record(undefined)).toBe(false)
    expect(breaker.record({kind: 'too_few_sentences', message: '3 usable sentences'})).toBe(true)
    expect(breaker.reason).toContain('worker.allowFailures is false')
  })
})
