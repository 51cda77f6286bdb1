import {describe, expect, it} from 'vitest'
import {adjustedRandIndex} from '../../../../src/pipeline/quality/adjusted-rand-index.js'

describe('adjustedRandIndex', () => {
  it("matches sklearn's docstring vectors (topic-model.md §6)", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1)
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.571428, 5)
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0)
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12)
  })
})
