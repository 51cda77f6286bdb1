import {describe, expect, it} from 'vitest'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {tridiagonalEigen} from '../../../../src/pipeline/umap/tridiagonal-eigen.js'

describe('tridiagonalEigen', () => {
  it('diagonalises a random tridiagonal matrix: T v = λ v, eigenvalues descending, last row as in the full result', () => {
    const random = seededRandom(3)
    const m = 30
    const diagonal = Float64Array.from({length: m}, () => random() * 2 - 1)
    const off = Float64Array.from({length: m - 1}, () => random() * 2 - 1)
    const result = tridiagonalEigen(diagonal, off)!
    for (let column = 0; column < m; column++) {
      const value = result.values[column]!
      if (column > 0) expect(value).toBeLessThanOrEqual(result.values[column - 1]!)
      for (let row = 0; row < m; row++) {
        const v = (index: number): number => result.vectors[index * m + column]!
        const product = diagonal[row]! * v(row) + (row > 0 ? off[row - 1]! * v(row - 1) : 0) + (row < m - 1 ? off[row]! * v(row + 1) : 0)
        expect(product).toBeCloseTo(value * v(row), 10)
      }
    }
    const lastRow = tridiagonalEigen(diagonal, off, true)!
    expect(Array.from(lastRow.values)).toEqual(Array.from(result.values))
    for (let column = 0; column < m; column++) expect(lastRow.vectors[(m - 1) * m + column]).toBeCloseTo(result.vectors[(m - 1) * m + column]!, 12)
  })

  it('knows the path graph: eigenvalues 2cos(πj/(m+1)) of the 0/1 adjacency', () => {
    const m = 12
    const result = tridiagonalEigen(new Float64Array(m), new Float64Array(m - 1).fill(1))!
    result.values.forEach((value, index) => expect(value).toBeCloseTo(2 * Math.cos((Math.PI * (index + 1)) / (m + 1)), 12))
  })
})
