import {describe, expect, it} from 'vitest'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {exactNeighbours} from '../../../../src/pipeline/stages/reduce.js'
import {cosineNeighbours} from '../../../../src/pipeline/umap/index.js'
import {exactKnn, euclideanDistance, flattenPoints} from '../../../../src/pipeline/umap/knn-graph.js'
import {nnDescent} from '../../../../src/pipeline/umap/nn-descent.js'

function clusteredPoints(n: number, dim: number, seed: number): number[][] {
  const random = seededRandom(seed)
  const centres = Array.from({length: 12}, () => Array.from({length: dim}, () => random() * 4 - 2))
  return Array.from({length: n}, (_, index) => centres[index % 12]!.map((value) => value + random() - 0.5))
}

describe('nearest neighbours', () => {
  it('finds the same exact cosine neighbours as the nested-array search umap-js was given', () => {
    const points = clusteredPoints(150, 12, 1)
    const typed = cosineNeighbours(points, 10, 42)
    const nested = exactNeighbours(points, 10)
    for (let row = 0; row < points.length; row++) {
      expect(Array.from(typed.indices.subarray(row * 10, row * 10 + 10))).toEqual(nested.indices[row])
      typed.distances.subarray(row * 10, row * 10 + 10).forEach((value, slot) => expect(value).toBeCloseTo(nested.distances[row]![slot]!, 12))
    }
  })

  it('NN-descent recovers at least 95% of the exact neighbours, the same graph for the same seed', () => {
    const flat = flattenPoints(clusteredPoints(3000, 10, 2))
    const exact = exactKnn(flat, 15, euclideanDistance)
    const approximate = nnDescent(flat, 15, euclideanDistance, {seed: 5})
    let found = 0
    for (let row = 0; row < flat.n; row++) {
      expect(approximate.indices[row * 15]).toBe(row)
      const truth = new Set(exact.indices.subarray(row * 15, row * 15 + 15))
      for (let slot = 0; slot < 15; slot++) if (truth.has(approximate.indices[row * 15 + slot]!)) found++
    }
    expect(found / (flat.n * 15)).toBeGreaterThan(0.95)
    expect(nnDescent(flat, 15, euclideanDistance, {seed: 5})).toEqual(approximate)
  })
})
