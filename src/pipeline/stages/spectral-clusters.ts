// Spectral clustering of a firm's sentence embeddings (Ng, Jordan & Weiss 2002; von Luxburg 2007): the symmetric
// kNN connectivity graph, the leading eigenvectors of its normalised adjacency, the number of topics from the
// largest eigengap, then a seeded k-means on the row-normalised eigenvectors. The alternative to UMAP + HDBSCAN
// (`pipeline.clustering: spectral`); every sentence gets a topic, there are no outliers.
import type {SparseGraph} from '../umap/fuzzy-set.js'
import {cosineNeighbours} from '../umap/index.js'
import {componentLabels, leadingEigenpairs} from '../umap/spectral-init.js'
import {seededRandom} from './random.js'

export interface SpectralOptions {
  /** Neighbours per sentence in the graph (the sentence itself not counted). */
  neighbours: number
  /** The eigengap looks for the number of topics between these two. */
  minTopics: number
  maxTopics: number
  seed: number
}

/** k-means restarts from different seeded starts; the one with the lowest within-cluster sum of squares is kept. */
const restarts = 10
const maxIterations = 100

/** A topic for every embedding (0 … K − 1, in no particular order); all in topic 0 when there are too few to split. */
export function spectralClusters(embeddings: readonly ArrayLike<number>[], options: SpectralOptions): Int32Array {
  const n = embeddings.length
  const labels = new Int32Array(n)
  // A topic needs a few sentences: at most one topic per 4 of them.
  const largest = Math.min(options.maxTopics, Math.floor(n / 4))
  if (largest < 2) return labels
  const graph = connectivityGraph(embeddings, Math.min(options.neighbours, n - 1), options.seed)
  const pairs = leadingEigenpairs(graph, largest + 1)
  if (!pairs) return labels
  const topics = eigengapCount(pairs.values, Math.max(2, Math.min(options.minTopics, largest)), largest)
  const points = rowNormalised(pairs.vectors, n, largest + 1, topics)
  return kMeans(points, n, topics, options.seed)
}

/** The kNN graph with weight 1 per edge, symmetrised as (A + Aᵀ) / 2 (an edge one way weighs ½). */
export function connectivityGraph(embeddings: readonly ArrayLike<number>[], neighbours: number, seed: number): SparseGraph {
  const knn = cosineNeighbours(embeddings, neighbours + 1, seed)
  const n = knn.n
  const weights = new Map<number, number>()
  for (let row = 0; row < n; row++) {
    for (let column = 1; column < knn.k; column++) {
      const other = knn.indices[row * knn.k + column]!
      if (other < 0 || other === row) continue
      for (const key of [row * n + other, other * n + row]) weights.set(key, (weights.get(key) ?? 0) + 0.5)
    }
  }
  const graph = sparseGraph(weights, n)
  const {count, labels} = componentLabels(graph)
  if (count === 1) return graph
  // Chain the components with faint edges (first point of each to the first of the next), so Lanczos sees one
  // graph whose near-1 eigenvalues count the components, and the eigengap can split them.
  const firsts = Array.from({length: count}, (_, component) => labels.indexOf(component))
  for (let index = 1; index < count; index++) {
    const [left, right] = [firsts[index - 1]!, firsts[index]!]
    weights.set(left * n + right, componentLink)
    weights.set(right * n + left, componentLink)
  }
  return sparseGraph(weights, n)
}

/** Weight of the edges that chain a disconnected graph's components: small enough to keep them apart. */
const componentLink = 1e-3

/** The CSR graph of weights keyed row × n + column. */
function sparseGraph(weights: ReadonlyMap<number, number>, n: number): SparseGraph {
  const keys = [...weights.keys()].sort((a, b) => a - b)
  const rowStart = new Int32Array(n + 1)
  const columns = new Int32Array(keys.length)
  const values = new Float64Array(keys.length)
  keys.forEach((key, entry) => {
    rowStart[Math.floor(key / n) + 1]!++
    columns[entry] = key % n
    values[entry] = weights.get(key)!
  })
  for (let row = 0; row < n; row++) rowStart[row + 1]! += rowStart[row]!
  return {n, rowStart, columns, weights: values}
}

/**
 * The number of topics K in [smallest, largest] after which the normalised Laplacian's eigenvalues (1 − the
 * adjacency's, ascending) jump the most: λ(K+1) − λ(K).
 */
export function eigengapCount(adjacencyValues: Float64Array, smallest: number, largest: number): number {
  let best = smallest
  let widest = -Infinity
  for (let count = smallest; count <= largest && count < adjacencyValues.length; count++) {
    const gap = adjacencyValues[count - 1]! - adjacencyValues[count]!
    if (gap > widest) {
      widest = gap
      best = count
    }
  }
  return best
}

/** The first `columns` eigenvectors per point (of a row-major n × width matrix), each row scaled to unit length. */
function rowNormalised(vectors: Float64Array, n: number, width: number, columns: number): Float64Array {
  const points = new Float64Array(n * columns)
  for (let row = 0; row < n; row++) {
    let norm = 0
    for (let column = 0; column < columns; column++) norm += vectors[row * width + column]! ** 2
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let column = 0; column < columns; column++) points[row * columns + column] = vectors[row * width + column]! * scale
  }
  return points
}

/** Lloyd's k-means from k-means++ starts (seeded), best of `restarts` by inertia. */
export function kMeans(points: Float64Array, n: number, k: number, seed: number): Int32Array {
  const dim = points.length / n
  let best: {labels: Int32Array; inertia: number} | undefined
  for (let restart = 0; restart < restarts; restart++) {
    const run = lloyd(points, n, dim, plusPlusCentres(points, n, dim, k, seededRandom(seed + restart * 7919)))
    if (!best || run.inertia < best.inertia - 1e-12) best = run
  }
  return best!.labels
}

function squaredDistance(points: Float64Array, point: number, centres: Float64Array, centre: number, dim: number): number {
  let sum = 0
  for (let d = 0; d < dim; d++) sum += (points[point * dim + d]! - centres[centre * dim + d]!) ** 2
  return sum
}

/** k-means++: the first centre uniformly, each next one with probability proportional to its squared distance. */
function plusPlusCentres(points: Float64Array, n: number, dim: number, k: number, random: () => number): Float64Array {
  const centres = new Float64Array(k * dim)
  const nearest = new Float64Array(n).fill(Infinity)
  let chosen = Math.floor(random() * n)
  for (let centre = 0; centre < k; centre++) {
    centres.set(points.subarray(chosen * dim, chosen * dim + dim), centre * dim)
    let total = 0
    for (let point = 0; point < n; point++) {
      nearest[point] = Math.min(nearest[point]!, squaredDistance(points, point, centres, centre, dim))
      total += nearest[point]!
    }
    if (total === 0) break
    let target = random() * total
    chosen = n - 1
    for (let point = 0; point < n; point++) {
      target -= nearest[point]!
      if (target < 0) {
        chosen = point
        break
      }
    }
  }
  return centres
}

function lloyd(points: Float64Array, n: number, dim: number, centres: Float64Array): {labels: Int32Array; inertia: number} {
  const k = centres.length / dim
  const labels = new Int32Array(n).fill(-1)
  let inertia = 0
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false
    inertia = 0
    for (let point = 0; point < n; point++) {
      let closest = 0
      let distance = Infinity
      for (let centre = 0; centre < k; centre++) {
        const candidate = squaredDistance(points, point, centres, centre, dim)
        if (candidate < distance) {
          distance = candidate
          closest = centre
        }
      }
      inertia += distance
      if (labels[point] !== closest) {
        labels[point] = closest
        changed = true
      }
    }
    if (!changed) break
    const sums = new Float64Array(k * dim)
    const counts = new Int32Array(k)
    for (let point = 0; point < n; point++) {
      counts[labels[point]!]!++
      for (let d = 0; d < dim; d++) sums[labels[point]! * dim + d]! += points[point * dim + d]!
    }
    // An emptied centre keeps its place (it may win points back); the others move to their means.
    for (let centre = 0; centre < k; centre++) {
      if (counts[centre] === 0) continue
      for (let d = 0; d < dim; d++) centres[centre * dim + d] = sums[centre * dim + d]! / counts[centre]!
    }
  }
  return {labels, inertia}
}
