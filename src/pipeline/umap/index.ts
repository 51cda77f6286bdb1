// ftm's UMAP (McInnes, Healy & Melville 2018, following umap-learn's fit): neighbours → fuzzy simplicial set →
// spectral initialisation → SGD layout. Typed arrays throughout; seeded and sequential, so deterministic.
import {setImmediate} from 'node:timers/promises'
import {seededRandom} from '../stages/random.js'
import {curveParameters} from './curve-parameters.js'
import {fuzzySimplicialSet} from './fuzzy-set.js'
import {exactKnn, flattenPoints, type KnnGraph, unitCosineDistance} from './knn-graph.js'
import {layoutEdges, layoutEpoch, layoutState} from './layout.js'
import {nnDescent} from './nn-descent.js'
import {spectralLayout} from './spectral-init.js'

export type {KnnGraph} from './knn-graph.js'

/** What a UMAP fit needs; the defaults of the optional keys are umap-learn's. */
export interface UmapOptions {
  nNeighbors: number
  nComponents: number
  minDist: number
  /** 0 chooses by input size (500 below 2,500 points, 400 below 5,000, 300 below 7,500, then 200). */
  nEpochs: number
  seed: number
  spread?: number
  negativeSampleRate?: number
  repulsionStrength?: number
  learningRate?: number
  /** Up to this many points the neighbours are exact; beyond, NN-descent. */
  exactNeighboursLimit?: number
}

/** Most points whose neighbours are found exactly (n²/2 distances; 4096 points: 8 M distances). */
export const exactNeighboursLimit = 4096

/** Layout epochs between two turns of the event loop, so other work (an LLM request) gets to run. */
const epochsPerTurn = 10

/** Cosine neighbours of the points, the point itself first: exact up to the limit, NN-descent beyond. */
export function cosineNeighbours(points: readonly ArrayLike<number>[], k: number, seed: number, limit = exactNeighboursLimit): KnnGraph {
  const flat = flattenPoints(points, true)
  return flat.n <= limit ? exactKnn(flat, k, unitCosineDistance) : nnDescent(flat, k, unitCosineDistance, {seed})
}

/** Epochs when nEpochs is 0, by input size. */
export function defaultEpochs(n: number): number {
  return n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200
}

/** Embeds the points (cosine) in nComponents dimensions; n × nComponents, row-major. Needs n > nNeighbors ≥ 2. */
export async function umap(points: readonly ArrayLike<number>[], options: UmapOptions): Promise<Float64Array> {
  const n = points.length
  const dim = options.nComponents
  const random = seededRandom(options.seed)
  const knn = cosineNeighbours(points, options.nNeighbors, options.seed, options.exactNeighboursLimit)
  const graph = fuzzySimplicialSet(knn)
  const epochs = options.nEpochs > 0 ? options.nEpochs : defaultEpochs(n)
  const edges = layoutEdges(graph, epochs)
  const embedding = initialEmbedding(graph, dim, edges, random)
  const state = layoutState(
    embedding,
    dim,
    edges,
    curveParameters(options.minDist, options.spread ?? 1),
    {
      epochs,
      negativeSampleRate: options.negativeSampleRate ?? 5,
      repulsionStrength: options.repulsionStrength ?? 1,
      learningRate: options.learningRate ?? 1,
    },
    Math.floor(random() * 4294967296),
  )
  for (let epoch = 0; epoch < epochs; epoch++) {
    layoutEpoch(state, epoch)
    if ((epoch + 1) % epochsPerTurn === 0) await setImmediate()
  }
  return embedding
}

/**
 * The spectral layout of the pruned graph scaled to ±10 plus tiny noise, or uniform in [−10, 10] where spectral
 * fails; then each coordinate rescaled to [0, 10] (as umap-learn 0.5 does before the layout).
 */
function initialEmbedding(
  graph: ReturnType<typeof fuzzySimplicialSet>,
  dim: number,
  edges: ReturnType<typeof layoutEdges>,
  random: () => number,
): Float64Array {
  const n = graph.n
  const pruned = prunedGraph(graph, edges)
  const spectral = spectralLayout(pruned, dim, random)
  let embedding: Float64Array
  if (spectral) {
    let largest = 0
    for (let index = 0; index < spectral.length; index++) largest = Math.max(largest, Math.abs(spectral[index]!))
    const expansion = largest > 0 ? 10 / largest : 1
    embedding = Float64Array.from(spectral, (value) => value * expansion + gaussian(random) * 0.0001)
  } else {
    embedding = Float64Array.from({length: n * dim}, () => random() * 20 - 10)
  }
  for (let column = 0; column < dim; column++) {
    let low = Infinity
    let high = -Infinity
    for (let row = 0; row < n; row++) {
      const value = embedding[row * dim + column]!
      if (value < low) low = value
      if (value > high) high = value
    }
    const range = high - low
    for (let row = 0; row < n; row++) embedding[row * dim + column] = range > 0 ? (10 * (embedding[row * dim + column]! - low)) / range : 0
  }
  return embedding
}

/** The graph restricted to the edges the layout samples (umap-learn initialises from the pruned graph). */
function prunedGraph(graph: ReturnType<typeof fuzzySimplicialSet>, edges: ReturnType<typeof layoutEdges>): ReturnType<typeof fuzzySimplicialSet> {
  const rowStart = new Int32Array(graph.n + 1)
  for (let edge = 0; edge < edges.head.length; edge++) rowStart[edges.head[edge]! + 1]!++
  for (let row = 0; row < graph.n; row++) rowStart[row + 1]! += rowStart[row]!
  // Weights in proportion to the graph's (max / epochsPerSample); the normalised Laplacian ignores the scale.
  const weights = Float64Array.from(edges.epochsPerSample, (value) => 1 / value)
  return {n: graph.n, rowStart, columns: edges.tail, weights}
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}
