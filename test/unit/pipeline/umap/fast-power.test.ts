import {describe, expect, it} from 'vitest'
import {powerTable, tablePower} from '../../../../src/pipeline/umap/fast-power.js'

const relativeError = (x: number, b: number): number => Math.abs(tablePower(x, powerTable(b)) / Math.pow(x, b) - 1)

describe('tablePower', () => {
  it('matches Math.pow to 1.1e-11 relative over the squared distances a layout meets, for the b of UMAP curves', () => {
    let worst = 0
    for (const b of [0.3, 0.7915, 0.8006, 0.8951, 1, 1.3342, 1.9, 2.5]) {
      for (let step = 0; step <= 20_000; step++) {
        const x = Math.exp(-60 + (step / 20_000) * 80)
        worst = Math.max(worst, relativeError(x, b))
      }
    }
    expect(worst).toBeLessThan(1.1e-11)
    // The bound is the series' r⁴ term at the end of a cell (r → 1/256), so it is nearly reached: the test
    // would notice a table or a coefficient off by one cell.
    expect(worst).toBeGreaterThan(1e-13)
  })

  it('holds the bound at the edges of the tables: the ends of every mantissa cell and the extreme exponents', () => {
    let worst = 0
    for (const exponent of [-1022, -300, -1, 0, 1, 300, 1000]) {
      for (let cell = 0; cell < 256; cell++) {
        for (const within of [0, 0.5, 1 - 2 ** -40]) {
          const x = 2 ** exponent * (1 + (cell + within) / 256)
          if (Number.isFinite(Math.pow(x, 0.8)) && Math.pow(x, 0.8) > 1e-300) worst = Math.max(worst, relativeError(x, 0.8))
        }
      }
    }
    expect(worst).toBeLessThan(1.1e-11)
  })

  it('leaves zero, subnormal, infinite and NaN inputs to Math.pow', () => {
    const table = powerTable(0.8)
    expect(tablePower(0, table)).toBe(0)
    expect(tablePower(1e-310, table)).toBe(Math.pow(1e-310, 0.8))
    expect(tablePower(Infinity, table)).toBe(Infinity)
    expect(tablePower(Number.NaN, table)).toBeNaN()
  })

  it('is deterministic: one table per b, the same value for the same input', () => {
    expect(powerTable(0.8006)).toBe(powerTable(0.8006))
    const values = Float64Array.from({length: 1000}, (_, index) => tablePower(0.001 + index * 0.37, powerTable(0.8006)))
    expect(Array.from(values, (_, index) => tablePower(0.001 + index * 0.37, powerTable(0.8006)))).toEqual(Array.from(values))
  })
})
