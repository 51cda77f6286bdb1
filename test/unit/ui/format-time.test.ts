import {describe, expect, it} from 'vitest'
import {formatTimestamp} from '../../../src/ui/format-time.js'

describe('formatTimestamp', () => {
  it('writes every moment as ISO 8601 UTC to the second', () => {
    expect(formatTimestamp('2026-12-02T01:34:59.123Z')).toBe('2026-12-02T01:34:59Z')
    expect(formatTimestamp('2026-12-02T02:34:59+01:00')).toBe('2026-12-02T01:34:59Z')
  })

  it('leaves a missing moment empty and an unreadable one as it was', () => {
    expect(formatTimestamp(undefined)).toBe('')
    expect(formatTimestamp('soon')).toBe('soon')
  })
})
