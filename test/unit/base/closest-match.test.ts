import {describe, expect, it} from 'vitest'
import {closestMatch, editDistance, suggestValue} from '../../../src/base/closest-match.js'

describe('closestMatch', () => {
  it('counts single-character edits', () => {
    expect(editDistance('formt', 'format')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('2030Q1', '2024Q1')).toBe(2)
  })

  it('picks the nearest candidate, ignoring case; none when there are no candidates', () => {
    expect(closestMatch('inspct', ['run', 'inspect', 'status'])).toBe('inspect')
    expect(closestMatch('2030Q1', ['2024Q1', '2024Q2'])).toBe('2024Q1')
    expect(closestMatch('X', [])).toBeUndefined()
  })

  it('names the closest value, and every value when the list is short', () => {
    expect(suggestValue('2030Q1', ['2024Q1', '2024Q2'], 'quarter')).toBe('Did you mean 2024Q1? Known quarters: 2024Q1, 2024Q2.')
    const firms = Array.from({length: 40}, (_, index) => String(100 + index))
    expect(suggestValue('999', firms, 'firm id')).toMatch(/^Did you mean \d+\? \(40 firm ids in all\.\)$/)
  })
})
