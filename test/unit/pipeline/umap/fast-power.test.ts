import {describe, expect, it} from 'vitest'
import {fastExp2, fastLog2, fastPower} from '../../../../src/pipeline/umap/fast-power.js'

describe('fastPower', () => {
  it('matches Math.pow to 1e-10 relative over the distances a layout meets', () => {
    let worst = 0
    for (let step = 0; step <= 20_000; step++) {
      const x = Math.exp(-60 + (step / 20_000) * 70)
      for (const y of [0.7915, 0.8006, 1.3342, 2]) worst = Math.max(worst, Math.abs(fastPower(x, y) / Math.pow(x, y) - 1))
    }
    expect(worst).toBeLessThan(1e-10)
  })

  it('is exact on powers of two and handles the ends of the range', () => {
    expect(fastLog2(8)).toBe(3)
    expect(fastLog2(0.25)).toBe(-2)
    expect(fastExp2(-3)).toBe(0.125)
    expect(fastExp2(-2000)).toBe(0)
    expect(fastExp2(2000)).toBe(Infinity)
    // A subnormal input falls back to Math.log2 instead of reading a zero exponent.
    expect(fastLog2(1e-310)).toBeCloseTo(Math.log2(1e-310), 9)
  })
})
