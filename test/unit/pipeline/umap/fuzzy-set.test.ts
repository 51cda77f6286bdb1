import {describe, expect, it} from 'vitest'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {fuzzySimplicialSet, smoothKnnDistances} from '../../../../src/pipeline/umap/fuzzy-set.js'
import {exactKnn, flattenPoints, unitCosineDistance} from '../../../../src/pipeline/umap/knn-graph.js'

function randomKnn(n: number, k: number) {
  const random = seededRandom(9)
  const points = Array.from({length: n}, () => Array.from({length: 8}, () => random() - 0.5))
  return exactKnn(flattenPoints(points, true), k, unitCosineDistance)
}

describe('the fuzzy simplicial set', () => {
  it('scales each point so its neighbour memberships sum to log2(k), the nearest at membership 1', () => {
    const knn = randomKnn(80, 10)
    const {rho, sigma} = smoothKnnDistances(knn)
    for (let point = 0; point < knn.n; point++) {
      expect(rho[point]).toBe(knn.distances[point * knn.k + 1])
      let sum = 0
      for (let slot = 1; slot < knn.k; slot++) sum += Math.exp(-Math.max(0, knn.distances[point * knn.k + slot]! - rho[point]!) / sigma[point]!)
      expect(sum).toBeCloseTo(Math.log2(knn.k), 4)
    }
  })

  it('is symmetric, has no self loops, and joins the two directions by a + b − ab', () => {
    const knn = randomKnn(60, 6)
    const graph = fuzzySimplicialSet(knn)
    const {rho, sigma} = smoothKnnDistances(knn)
    const weight = (row: number, column: number): number => {
      for (let entry = graph.rowStart[row]!; entry < graph.rowStart[row + 1]!; entry++) if (graph.columns[entry] === column) return graph.weights[entry]!
      return 0
    }
    const directed = (from: number, to: number): number => {
      for (let slot = 1; slot < knn.k; slot++) {
        if (knn.indices[from * knn.k + slot] !== to) continue
        const excess = knn.distances[from * knn.k + slot]! - rho[from]!
        return excess <= 0 ? 1 : Math.exp(-excess / sigma[from]!)
      }
      return 0
    }
    for (let row = 0; row < graph.n; row++) {
      for (let entry = graph.rowStart[row]!; entry < graph.rowStart[row + 1]!; entry++) {
        const column = graph.columns[entry]!
        expect(column).not.toBe(row)
        if (entry > graph.rowStart[row]!) expect(column).toBeGreaterThan(graph.columns[entry - 1]!)
        expect(weight(column, row)).toBe(graph.weights[entry])
        const a = directed(row, column)
        const b = directed(column, row)
        expect(graph.weights[entry]).toBeCloseTo(a + b - a * b, 14)
      }
    }
  })
})
