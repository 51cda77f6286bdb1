import {describe, expect, it} from 'vitest'
import {parseQuarters, quarterOfDate} from '../../../src/base/quarter.js'

describe('parseQuarters', () => {
  it('expands ranges and lists into sorted unique quarters', () => {
    expect(parseQuarters('2023Q3..2024Q2')).toEqual(['2023Q3', '2023Q4', '2024Q1', '2024Q2'])
    expect(parseQuarters('2024q2, 2024Q1,2024Q2')).toEqual(['2024Q1', '2024Q2'])
  })

  it('names the bad part and the accepted forms', () => {
    expect(() => parseQuarters('2024Q5')).toThrow(/"2024Q5" is not a quarter/)
    expect(() => parseQuarters('2024Q3..2024Q1')).toThrow(/ends before it starts/)
  })
})

describe('quarterOfDate', () => {
  it('uses the calendar quarter of the UTC date', () => {
    expect(quarterOfDate(new Date('2024-03-31T23:59:59Z'))).toBe('2024Q1')
    expect(quarterOfDate(new Date('2024-04-01T00:00:00Z'))).toBe('2024Q2')
  })
})
