import {describe, expect, it} from 'vitest'
import {UMAP} from 'umap-js'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {trustworthiness} from '../../../../src/pipeline/quality/trustworthiness.js'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {cosineDistance, exactNeighbours, reduceDimensions} from '../../../../src/pipeline/stages/reduce.js'

/** Three noisy directions in 20 dimensions, 20 points each. */
function blobs(seed: number): Float32Array[] {
  const random = seededRandom(seed)
  return Array.from({length: 60}, (_, index) =>
    Float32Array.from({length: 20}, (_, dimension) => (dimension % 3 === index % 3 ? 1 : 0) + (random() - 0.5) * 0.3),
  )
}

describe('reduceDimensions (UMAP)', () => {
  const options = defaultConfig.pipeline.umap

  it('is bit-identical under a fixed seed and changes with the seed', async () => {
    const points = blobs(1)
    const first = await reduceDimensions(points, options)
    expect(await reduceDimensions(points, options)).toEqual(first)
    expect(first).toHaveLength(60)
    expect(first[0]).toHaveLength(options.nComponents)
    expect(await reduceDimensions(points, {...options, seed: options.seed + 1})).not.toEqual(first)
  })

  it('keeps neighbourhoods at least as well as umap-js with the same settings (trustworthiness, the oracle)', async () => {
    const points = blobs(4)
    const data = points.map((point) => Array.from(point))
    const oracle = new UMAP({...options, random: seededRandom(options.seed), distanceFn: cosineDistance})
    const knn = exactNeighbours(data, options.nNeighbors)
    oracle.setPrecomputedKNN(knn.indices, knn.distances)
    const reference = oracle.fit(data)
    const ours = await reduceDimensions(points, options)
    const input = (i: number, j: number): number => cosineDistance(points[i]!, points[j]!)
    const output = (layout: number[][]) => (i: number, j: number): number => Math.hypot(...layout[i]!.map((value, d) => value - layout[j]![d]!))
    const referenceTrust = trustworthiness(60, 10, input, output(reference))
    expect(trustworthiness(60, 10, input, output(ours))).toBeGreaterThanOrEqual(referenceTrust - 0.01)
  })

  it.each([
    ['exact neighbours', undefined],
    ['NN-descent neighbours beyond the exact limit', {exactNeighbours: 10}],
  ])('keeps separated groups apart with %s', async (_, limits) => {
    const layout = await reduceDimensions(blobs(2), {...options, nComponents: 2}, limits)
    if (limits) expect(await reduceDimensions(blobs(2), {...options, nComponents: 2}, limits)).toEqual(layout)
    const distance = (a: number, b: number): number => Math.hypot(layout[a]![0]! - layout[b]![0]!, layout[a]![1]! - layout[b]![1]!)
    // Points 0 and 3 share a group; 0 and 1 do not.
    let same = 0
    let different = 0
    for (let index = 0; index + 3 < 60; index += 3) {
      same += distance(index, index + 3)
      different += distance(index, index + 1)
    }
    expect(same).toBeLessThan(different)
  })

  it('applies the small-input policy instead of throwing', async () => {
    const points = blobs(3)
    // Fewer points than nComponents + 2: the input comes back unchanged.
    expect(await reduceDimensions(points.slice(0, 5), options)).toEqual(points.slice(0, 5).map((point) => Array.from(point)))
    // More than nComponents + 2 but not more than nNeighbors: neighbours are capped at n − 1.
    expect(await reduceDimensions(points.slice(0, 14), options)).toHaveLength(14)
  })

  it('finds the same neighbours and bit-identical distances as comparing every pair with cosineDistance', () => {
    const random = seededRandom(7)
    const points = Array.from({length: 120}, () => Array.from({length: 16}, () => Math.fround(random() - 0.5)))
    points.push([...points[3]!], [...points[3]!], new Array<number>(16).fill(0), new Array<number>(16).fill(0)) // ties and zero vectors
    const fast = exactNeighbours(points, 15)
    const order = points.map((_, index) => index)
    for (let row = 0; row < points.length; row++) {
      const distanceTo = points.map((point, other) => (other === row ? -1 : cosineDistance(points[row]!, point)))
      const nearest = [...order].sort((a, b) => distanceTo[a]! - distanceTo[b]! || a - b).slice(0, 15)
      expect(fast.indices[row]).toEqual(nearest)
      expect(fast.distances[row]).toEqual(nearest.map((other) => Math.max(0, distanceTo[other]!)))
    }
  })

  it('finds exact cosine neighbours with the point itself first', () => {
    const knn = exactNeighbours([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], 2)
    expect(knn.indices).toEqual([[0, 1], [1, 0], [2, 3], [3, 2]])
    expect(knn.distances.every((row) => row[0] === 0)).toBe(true)
  })
})
