import {UMAP} from 'umap-js'
import type {PipelineConfig} from '../../core/config/schema.js'
import {seededRandom} from './random.js'
import {cosineSimilarity} from './vectors.js'

/** 1 − cosine similarity (1 when either vector is zero). */
export function cosineDistance(left: ArrayLike<number>, right: ArrayLike<number>): number {
  return 1 - cosineSimilarity(left, right)
}

/** Exact k nearest neighbours by cosine distance, each row starting with the point itself (as umap-js expects). */
export function exactNeighbours(points: readonly ArrayLike<number>[], k: number): {indices: number[][]; distances: number[][]} {
  const indices: number[][] = []
  const distances: number[][] = []
  const order = points.map((_, index) => index)
  for (let row = 0; row < points.length; row++) {
    const distanceTo = points.map((point, other) => (other === row ? -1 : cosineDistance(points[row]!, point)))
    const nearest = [...order].sort((a, b) => distanceTo[a]! - distanceTo[b]! || a - b).slice(0, k)
    indices.push(nearest)
    distances.push(nearest.map((other) => Math.max(0, distanceTo[other]!)))
  }
  return {indices, distances}
}

/**
 * Reduces embeddings with UMAP (cosine, seeded, exact neighbours). Small inputs follow explicit rules instead of
 * crashing: neighbours are capped at n−1, and with fewer points than output dimensions + 2 the input is returned.
 */
export function reduceDimensions(points: readonly Float32Array[], options: PipelineConfig['umap']): number[][] {
  const count = points.length
  if (count < options.nComponents + 2 || count < 4) return points.map((point) => Array.from(point))
  const neighbours = Math.min(options.nNeighbors, count - 1)
  const data = points.map((point) => Array.from(point))
  const umap = new UMAP({
    nComponents: options.nComponents,
    nNeighbors: neighbours,
    minDist: options.minDist,
    nEpochs: options.nEpochs || undefined,
    random: seededRandom(options.seed),
    distanceFn: cosineDistance,
  })
  const knn = exactNeighbours(data, neighbours)
  umap.setPrecomputedKNN(knn.indices, knn.distances)
  return umap.fit(data).map((row) => row.map((value) => (Number.isFinite(value) ? value : 0)))
}
