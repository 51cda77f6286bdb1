import {describe, expect, it} from 'vitest'
import {
  computedRows,
  coreDistances,
  hdbscan,
  hdbscanDense,
  knnCoreDistances,
  knnSpanningTree,
  minimumSpanningTree,
} from '../../../../src/pipeline/hdbscan/index.js'
import {adjustedRandIndex} from '../../../../src/pipeline/quality/adjusted-rand-index.js'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {euclideanDistance, exactKnn, flattenPoints} from '../../../../src/pipeline/umap/knn-graph.js'

/** Loose Gaussian blobs of varying spread in `dim` dimensions, like a firm's reduced sentences. */
function firmLike(n: number, dim: number, seed: number): number[][] {
  const random = seededRandom(seed)
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const centres = Array.from({length: 7}, () => Array.from({length: dim}, () => random() * 10))
  return Array.from({length: n}, (_, index) => {
    const spread = 0.2 + (index % 5) * 0.25
    return centres[index % 7]!.map((value) => value + gaussian() * spread)
  })
}

const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0)

describe('HDBSCAN over the kNN graph', () => {
  it.each([
    [300, 10, 2, 6, 'leaf'],
    [300, 10, 6, 6, 'eom'],
    [500, 5, 1, 10, 'eom'],
    [1200, 10, 2, 6, 'leaf'],
  ] as const)('gives the same labels and probabilities as the dense Prim path (n %i, dim %i, minSamples %i, mcs %i, %s)', (n, dim, minSamples, minClusterSize, selection) => {
    for (const seed of [1, 2, 3]) {
      const points = firmLike(n, dim, seed)
      const options = {minClusterSize, minSamples, selection}
      const dense = hdbscanDense(points, options)
      const ours = hdbscan(points, options)
      expect(Array.from(ours.labels)).toEqual(Array.from(dense.labels))
      expect(Array.from(ours.probabilities)).toEqual(Array.from(dense.probabilities))
    }
  })

  it('certifies each round: with only 3 neighbours per point the tree still weighs what Prim finds', () => {
    const points = firmLike(400, 4, 7)
    const flat = flattenPoints(points)
    const knn = exactKnn(flat, 3, euclideanDistance)
    const core = knnCoreDistances(knn, 2)
    expect(Array.from(core)).toEqual(Array.from(coreDistances(computedRows(points), 2)))
    const prim = minimumSpanningTree(computedRows(points), core)
    expect(sum(knnSpanningTree(flat, knn, core, 1, true).weight)).toBeCloseTo(sum(prim.weight), 9)
    // Without the certificate (the approximate mode) the kNN edges alone give a heavier tree here.
    expect(sum(knnSpanningTree(flat, knn, core, 1, false).weight)).toBeGreaterThan(sum(prim.weight))
  })

  it('beyond the exact limit (NN-descent) stays close to the exact clustering and deterministic', () => {
    const points = firmLike(3000, 10, 4)
    const options = {minClusterSize: 20, minSamples: 6, selection: 'eom' as const}
    const exact = hdbscan(points, options)
    const approximate = hdbscan(points, {...options, exactLimit: 1000})
    expect(adjustedRandIndex(Array.from(exact.labels), Array.from(approximate.labels))).toBeGreaterThan(0.95)
    expect(hdbscan(points, {...options, exactLimit: 1000})).toEqual(approximate)
  })
})
