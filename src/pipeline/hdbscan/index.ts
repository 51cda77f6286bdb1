// HDBSCAN (euclidean) following the scikit-learn semantics described in docs/topic-model.md §2: core distances from
// the k-nearest-neighbour graph and the spanning tree by Borůvka (exact up to exactLimit points, NN-descent beyond);
// the dense Prim path (hdbscanDense) stays as the reference it is tested against.
import {clusterHierarchy, condenseTree} from './condensed-tree.js'
import {coreDistances, denseLimit, distanceRows} from './core-distances.js'
import {labelPoints, type HdbscanResult} from './labels.js'
import {minimumSpanningTree, type SpanningTree} from './minimum-spanning-tree.js'
import {knnCoreDistances, knnSpanningTree} from './knn-spanning-tree.js'
import {euclideanDistance, exactKnn, type FlatPoints} from '../umap/knn-graph.js'
import {nnDescent} from '../umap/nn-descent.js'
import {computeStability, selectClusters} from './select-clusters.js'
import {singleLinkage} from './single-linkage.js'

export {clusterHierarchy, condenseTree, toLambda} from './condensed-tree.js'
export type {ClusterHierarchy, CondensedTree} from './condensed-tree.js'
export {computedRows, coreDistances, denseLimit, denseRows, distanceRows, pairwiseDistances, selectKth} from './core-distances.js'
export type {DistanceRows} from './core-distances.js'
export {labelPoints} from './labels.js'
export type {HdbscanResult} from './labels.js'
export {minimumSpanningTree, mutualReachability} from './minimum-spanning-tree.js'
export {knnCoreDistances, knnSpanningTree} from './knn-spanning-tree.js'
export type {SpanningTree} from './minimum-spanning-tree.js'
export {computeStability, selectClusters} from './select-clusters.js'
export type {ClusterSelectionOptions} from './select-clusters.js'
export {singleLinkage, sortEdges} from './single-linkage.js'
export type {SingleLinkageTree} from './single-linkage.js'

export interface HdbscanOptions {
  /** Smallest cluster size; integer >= 2. */
  minClusterSize: number
  /** sklearn semantics (the point itself counts); default = minClusterSize; clipped to [1, n]. */
  minSamples?: number
  /** Flat cluster selection; default 'eom'. */
  selection?: 'eom' | 'leaf'
  /** Let the root be selected as the single cluster; default false. */
  allowSingleCluster?: boolean
  /** cluster_selection_epsilon (a distance); default 0. */
  epsilon?: number
  /** Distance scaling: mutual reachability uses d/alpha; default 1. */
  alpha?: number
  /** EOM only; default 0 = unlimited. */
  maxClusterSize?: number
  /** Most points for which the distance matrix is kept in memory; default denseLimit. Results do not depend on it. */
  denseLimit?: number
}

/** Resolved options with defaults applied and values validated (minSamples still unclipped). */
export interface ResolvedHdbscanOptions {
  minClusterSize: number
  minSamples: number
  selection: 'eom' | 'leaf'
  allowSingleCluster: boolean
  epsilon: number
  alpha: number
  maxClusterSize: number
}

/** Applies defaults and validates options; throws an Error describing the first invalid option. */
export function resolveOptions(options: HdbscanOptions): ResolvedHdbscanOptions {
  const {minClusterSize} = options
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new Error(`hdbscan: minClusterSize must be an integer >= 2, got ${String(minClusterSize)}`)
  }
  const minSamples = options.minSamples ?? minClusterSize
  if (!Number.isInteger(minSamples)) throw new Error(`hdbscan: minSamples must be an integer, got ${String(minSamples)}`)
  const selection = options.selection ?? 'eom'
  if (selection !== 'eom' && selection !== 'leaf') {
    throw new Error(`hdbscan: selection must be 'eom' or 'leaf', got ${String(selection)}`)
  }
  const epsilon = options.epsilon ?? 0
  if (!Number.isFinite(epsilon) || epsilon < 0) throw new Error(`hdbscan: epsilon must be a finite number >= 0, got ${String(epsilon)}`)
  const alpha = options.alpha ?? 1
  if (!Number.isFinite(alpha) || alpha <= 0) throw new Error(`hdbscan: alpha must be a finite number > 0, got ${String(alpha)}`)
  const maxClusterSize = options.maxClusterSize ?? 0
  if (!Number.isInteger(maxClusterSize) || maxClusterSize < 0) {
    throw new Error(`hdbscan: maxClusterSize must be an integer >= 0 (0 = unlimited), got ${String(maxClusterSize)}`)
  }
  return {minClusterSize, minSamples, selection, allowSingleCluster: options.allowSingleCluster ?? false, epsilon, alpha, maxClusterSize}
}

/** Up to this many points neighbours are exact and the spanning tree certified; beyond, NN-descent (approximate). */
export const exactLimit = 4096

/** Neighbours per point for the kNN path (the point itself included); at least minSamples. */
const knnSize = 16

/**
 * Clusters the rows of `points` (euclidean): exact up to exactLimit points (the same labels as the dense path,
 * hdbscanDense), approximate beyond.
 */
export function hdbscan(points: ReadonlyArray<ArrayLike<number>>, options: HdbscanOptions & {exactLimit?: number}): HdbscanResult {
  const opts = resolveOptions(options)
  const n = points.length
  const flat = flattenPoints(points)
  if (n < 2) return {labels: new Int32Array(n).fill(-1), probabilities: new Float64Array(n)}
  const minSamples = Math.min(n, Math.max(1, opts.minSamples))
  const k = Math.min(n, Math.max(minSamples, knnSize))
  const exact = n <= (options.exactLimit ?? exactLimit)
  const knn = exact ? exactKnn(flat, k, euclideanDistance) : nnDescent(flat, k, euclideanDistance, {seed: n})
  const core = knnCoreDistances(knn, minSamples)
  return clusterTree(knnSpanningTree(flat, knn, core, opts.alpha, exact), n, opts)
}

/** The reference path: the dense (or row-computed) distance matrix and Prim's O(n²) spanning tree. */
export function hdbscanDense(points: ReadonlyArray<ArrayLike<number>>, options: HdbscanOptions): HdbscanResult {
  const opts = resolveOptions(options)
  const n = points.length
  // Validates every row (ragged, NaN, infinite) before any small-input shortcut.
  const distances = distanceRows(points, options.denseLimit ?? denseLimit)
  if (n < 2) return {labels: new Int32Array(n).fill(-1), probabilities: new Float64Array(n)}
  const minSamples = Math.min(n, Math.max(1, opts.minSamples))
  const core = coreDistances(distances, minSamples)
  return clusterTree(minimumSpanningTree(distances, core, opts.alpha), n, opts)
}

/** Steps 5–8: single linkage, condensed tree, stabilities, selection and labels. */
function clusterTree(mst: SpanningTree, n: number, opts: ResolvedHdbscanOptions): HdbscanResult {
  const tree = condenseTree(singleLinkage(mst, n), opts.minClusterSize)
  const hierarchy = clusterHierarchy(tree)
  const stability = computeStability(tree, hierarchy)
  const selected = selectClusters(tree, stability, opts, hierarchy)
  return labelPoints(tree, selected, opts.allowSingleCluster, opts.epsilon)
}

/** The rows as flat points, validated (ragged rows, NaN or infinite coordinates throw naming the row). */
function flattenPoints(points: ReadonlyArray<ArrayLike<number>>): FlatPoints {
  const n = points.length
  const dim = n > 0 ? points[0]!.length : 0
  const values = new Float64Array(n * dim)
  for (let row = 0; row < n; row++) {
    const point = points[row]!
    if (point.length !== dim) throw new Error(`hdbscan: row ${row} has ${point.length} coordinates, expected ${dim} (same as row 0)`)
    for (let index = 0; index < dim; index++) {
      const value = point[index]!
      if (!Number.isFinite(value)) throw new Error(`hdbscan: row ${row} has a non-finite coordinate at index ${index} (${String(value)})`)
      values[row * dim + index] = value
    }
  }
  return {n, dim, values}
}
