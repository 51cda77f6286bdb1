import {describe, expect, it} from 'vitest'
import {matchesPattern, retryStrategyProblem, shouldRetry} from '../../../../fakes/fake-batch/retry-evaluation.js'

const strategy = {
  attempts: 3,
  evaluateOnExit: [
    {onStatusReason: 'Host EC2*', action: 'RETRY'},
    {onExitCode: '75', action: 'RETRY'},
    {onReason: '*', action: 'EXIT'},
  ],
}

describe('the fake Batch retry evaluation (aws-batch.md §3)', () => {
  it('matches exactly, by prefix with one trailing *, and a bare * matches a missing value', () => {
    expect(matchesPattern('Host EC2*', 'Host EC2 (instance i-0abc) terminated.')).toBe(true)
    expect(matchesPattern('Host EC2', 'Host EC2 (instance i-0abc) terminated.')).toBe(false)
    expect(matchesPattern('*', undefined)).toBe(true)
    expect(matchesPattern('1*', undefined)).toBe(false)
  })

  it('the first matching entry decides, only while attempts remain', () => {
    const spot = {statusReason: 'Host EC2 (instance i-0abc) terminated.'}
    expect(shouldRetry(strategy, 1, spot)).toBe(true)
    expect(shouldRetry(strategy, 3, spot)).toBe(false)
    expect(shouldRetry(strategy, 1, {statusReason: 'Essential container in task exited', exitCode: 75})).toBe(true)
    expect(shouldRetry(strategy, 1, {statusReason: 'Essential container in task exited', exitCode: 2})).toBe(false)
  })

  it('retries when no entry matches, and checks patterns as the API does', () => {
    expect(shouldRetry({attempts: 2, evaluateOnExit: [{onExitCode: '3', action: 'EXIT'}]}, 1, {exitCode: 1})).toBe(true)
    expect(shouldRetry(undefined, 1, {exitCode: 1})).toBe(false)
    expect(retryStrategyProblem({attempts: 2, evaluateOnExit: [{onStatusReason: 'Host EC2 (instance*', action: 'RETRY'}]})).toMatch(/may hold only/)
    expect(retryStrategyProblem({evaluateOnExit: [{onExitCode: '1', action: 'EXIT'}]})).toMatch(/attempts is required/)
  })
})
