import {describe, expect, it} from 'vitest'
import {adjustedRandIndex} from '../../../../src/pipeline/quality/adjusted-rand-index.js'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {connectivityGraph, eigengapCount, kMeans, spectralClusters} from '../../../../src/pipeline/stages/spectral-clusters.js'

/** `groups` blobs of `size` points each around orthogonal unit directions in 20-d, with noise; labels by blob. */
function blobs(groups: number, size: number, noise: number, seed: number): {points: Float32Array[]; truth: number[]} {
  const random = seededRandom(seed)
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const centres = Array.from({length: groups}, (_, group) => Float32Array.from({length: 20}, (_, axis) => (axis === group ? 1 : 0)))
  const points: Float32Array[] = []
  const truth: number[] = []
  for (let group = 0; group < groups; group++) {
    for (let member = 0; member < size; member++) {
      points.push(centres[group]!.map((value) => value + noise * gaussian()))
      truth.push(group)
    }
  }
  return {points, truth}
}

const options = {neighbours: 8, minTopics: 2, maxTopics: 16, seed: 42}

describe('spectralClusters', () => {
  it('finds the number of well-separated groups from the eigengap and recovers them', () => {
    for (const groups of [3, 6, 9]) {
      const {points, truth} = blobs(groups, 25, 0.08, groups)
      const labels = spectralClusters(points, options)
      expect(new Set(labels).size).toBe(groups)
      expect(adjustedRandIndex(truth, [...labels])).toBeCloseTo(1, 6)
    }
  })

  it('keeps the count within minTopics and maxTopics', () => {
    const {points} = blobs(9, 20, 0.3, 1)
    expect(new Set(spectralClusters(points, {...options, maxTopics: 5})).size).toBeLessThanOrEqual(5)
    const {points: two} = blobs(2, 40, 0.3, 2)
    expect(new Set(spectralClusters(two, {...options, minTopics: 4})).size).toBeGreaterThanOrEqual(4)
  })

  it('is deterministic under a seed', () => {
    const {points} = blobs(5, 30, 1.5, 3)
    expect([...spectralClusters(points, options)]).toEqual([...spectralClusters(points, options)])
  })

  it('puts everything in one topic when there are too few points to split, and never crashes on small inputs', () => {
    const {points} = blobs(2, 10, 0.3, 4)
    for (const count of [1, 2, 3, 4, 5, 8, 12, 20]) {
      const labels = spectralClusters(points.slice(0, count), options)
      expect(labels).toHaveLength(count)
      for (const label of labels) expect(label).toBeGreaterThanOrEqual(0)
    }
    expect([...spectralClusters(points.slice(0, 3), options)]).toEqual([0, 0, 0])
  })
})

describe('the parts', () => {
  it('builds a symmetric graph of weights ½ (one-way edges) and 1 (mutual neighbours), its components chained by faint edges', () => {
    const {points} = blobs(3, 10, 0.5, 5)
    const graph = connectivityGraph(points, 4, 42)
    const weight = new Map<string, number>()
    for (let row = 0; row < graph.n; row++) {
      for (let entry = graph.rowStart[row]!; entry < graph.rowStart[row + 1]!; entry++) weight.set(`${row}/${graph.columns[entry]}`, graph.weights[entry]!)
    }
    for (const [key, value] of weight) {
      const [row, column] = key.split('/')
      expect(weight.get(`${column}/${row}`)).toBe(value)
      expect([0.5, 1, 1e-3]).toContain(value)
      expect(row).not.toBe(column)
    }
  })

  it('chooses the count before the largest drop of the adjacency eigenvalues', () => {
    expect(eigengapCount(Float64Array.from([1, 0.99, 0.98, 0.5, 0.45, 0.4]), 2, 5)).toBe(3)
    expect(eigengapCount(Float64Array.from([1, 0.99, 0.98, 0.5, 0.45, 0.4]), 4, 5)).toBe(4)
  })

  it('k-means separates two obvious groups', () => {
    const points = Float64Array.from([0, 0, 0.1, 0, 0, 0.1, 5, 5, 5.1, 5, 5, 5.1])
    const labels = kMeans(points, 6, 2, 1)
    expect(labels[0]).toBe(labels[1])
    expect(labels[0]).toBe(labels[2])
    expect(labels[3]).toBe(labels[4])
    expect(labels[0]).not.toBe(labels[3])
  })
})
