import type {PipelineConfig} from '../../core/config/schema.js'
import {exactNeighboursLimit as defaultExactLimit, umap} from '../umap/index.js'
import {cosineSimilarity} from './vectors.js'

/** 1 − cosine similarity (1 when either vector is zero). */
export function cosineDistance(left: ArrayLike<number>, right: ArrayLike<number>): number {
  return 1 - cosineSimilarity(left, right)
}

/**
 * Exact k nearest neighbours by cosine distance as nested arrays for umap-js (the test oracle and the benchmark's
 * comparison), each row starting with the point itself;
 * ties go to the lower index. Each pair's distance is computed once (the matrix is symmetric) with the squared
 * norms computed once per point, in the same order of operations as cosineDistance, so the result is bit-identical
 * to comparing every pair with it; the k nearest are kept by insertion instead of sorting each row.
 */
export function exactNeighbours(points: readonly ArrayLike<number>[], k: number): {indices: number[][]; distances: number[][]} {
  const count = points.length
  const squaredNorms = Float64Array.from(points, (point) => {
    let sum = 0
    for (let index = 0; index < point.length; index++) sum += point[index]! * point[index]!
    return sum
  })
  const distance = new Float64Array(count * count)
  for (let row = 0; row < count; row++) {
    const left = points[row]!
    distance[row * count + row] = -1
    for (let other = row + 1; other < count; other++) {
      const right = points[other]!
      let dot = 0
      for (let index = 0; index < left.length; index++) dot += left[index]! * right[index]!
      const leftNorm = squaredNorms[row]!
      const rightNorm = squaredNorms[other]!
      const pairDistance = 1 - (leftNorm > 0 && rightNorm > 0 ? dot / Math.sqrt(leftNorm * rightNorm) : 0)
      distance[row * count + other] = pairDistance
      distance[other * count + row] = pairDistance
    }
  }
  const indices: number[][] = []
  const distances: number[][] = []
  for (let row = 0; row < count; row++) {
    const offset = row * count
    const nearest: number[] = []
    for (let other = 0; other < count; other++) {
      const value = distance[offset + other]!
      if (nearest.length === k && value >= distance[offset + nearest[k - 1]!]!) continue
      let position = nearest.length
      while (position > 0 && distance[offset + nearest[position - 1]!]! > value) position--
      nearest.splice(position, 0, other)
      if (nearest.length > k) nearest.pop()
    }
    indices.push(nearest)
    distances.push(nearest.map((other) => Math.max(0, distance[offset + other]!)))
  }
  return {indices, distances}
}

/** Most points whose neighbours are found exactly; beyond (a quarter's topics for cross-firm themes), NN-descent. */
export const exactNeighboursLimit = defaultExactLimit

/**
 * Reduces embeddings with ftm's UMAP (cosine, seeded, exact neighbours up to exactNeighboursLimit points). Small
 * inputs follow explicit rules instead of crashing: neighbours are capped at n−1, and with fewer points than output
 * dimensions + 2 the input is returned.
 * The layout lets pending I/O and timers run every few epochs, so the previous firm's LLM request goes out and its
 * answer is read while this firm's layout runs.
 */
export async function reduceDimensions(
  points: readonly Float32Array[],
  options: PipelineConfig['umap'],
  limits = {exactNeighbours: exactNeighboursLimit},
): Promise<number[][]> {
  const count = points.length
  if (count < options.nComponents + 2 || count < 4) return points.map((point) => Array.from(point))
  const nNeighbors = Math.min(options.nNeighbors, count - 1)
  const embedding = await umap(points, {...options, nNeighbors, exactNeighboursLimit: limits.exactNeighbours})
  const dim = options.nComponents
  return Array.from({length: count}, (_, row) =>
    Array.from(embedding.subarray(row * dim, row * dim + dim), (value) => (Number.isFinite(value) ? value : 0)),
  )
}
