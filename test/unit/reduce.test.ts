import {describe, expect, it} from 'vitest'
import {defaultConfig} from '../../src/core/config/schema.js'
import {seededRandom} from '../../src/pipeline/stages/random.js'
import {exactNeighbours, reduceDimensions} from '../../src/pipeline/stages/reduce.js'

/** Three noisy directions in 20 dimensions, 20 points each. */
function blobs(seed: number): Float32Array[] {
  const random = seededRandom(seed)
  return Array.from({length: 60}, (_, index) =>
    Float32Array.from({length: 20}, (_, dimension) => (dimension % 3 === index % 3 ? 1 : 0) + (random() - 0.5) * 0.3),
  )
}

describe('reduceDimensions (UMAP)', () => {
  const options = defaultConfig.pipeline.umap

  it('is bit-identical under a fixed seed and changes with the seed', () => {
    const points = blobs(1)
    const first = reduceDimensions(points, options)
    expect(reduceDimensions(points, options)).toEqual(first)
    expect(first).toHaveLength(60)
    expect(first[0]).toHaveLength(options.nComponents)
    expect(reduceDimensions(points, {...options, seed: options.seed + 1})).not.toEqual(first)
  })

  it('keeps separated groups apart', () => {
    const layout = reduceDimensions(blobs(2), {...options, nComponents: 2})
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

  it('applies the small-input policy instead of throwing', () => {
    const points = blobs(3)
    // Fewer points than nComponents + 2: the input comes back unchanged.
    expect(reduceDimensions(points.slice(0, 5), options)).toEqual(points.slice(0, 5).map((point) => Array.from(point)))
    // More than nComponents + 2 but not more than nNeighbors: neighbours are capped at n − 1.
    expect(reduceDimensions(points.slice(0, 14), options)).toHaveLength(14)
  })

  it('finds exact cosine neighbours with the point itself first', () => {
    const knn = exactNeighbours([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], 2)
    expect(knn.indices).toEqual([[0, 1], [1, 0], [2, 3], [3, 2]])
    expect(knn.distances.every((row) => row[0] === 0)).toBe(true)
  })
})
