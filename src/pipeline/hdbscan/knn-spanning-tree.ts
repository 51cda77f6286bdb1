// Steps 2–4 of HDBSCAN without the n² matrix: core distances from the k-nearest-neighbour graph, and the minimum
// spanning tree of the mutual-reachability graph by Borůvka over the kNN edges. With exact neighbours, each round
// certifies every component's cheapest edge: an edge to a point outside p's k nearest costs at least
// max(core(p), d_k(p)), so only points whose bound undercuts their component's best kNN edge are compared with
// every other point, and the tree is a true minimum spanning tree. With approximate neighbours (NN-descent) that
// check is skipped: the approximation starts there.
import type {FlatPoints, KnnGraph} from '../umap/knn-graph.js'
import type {SpanningTree} from './minimum-spanning-tree.js'
import {findRoot} from './union-find.js'

/** Core distance of each point from its kNN row (the point itself is column 0): the minSamples-th smallest. */
export function knnCoreDistances(knn: KnnGraph, minSamples: number): Float64Array {
  const {n, k, distances} = knn
  const column = Math.min(k, Math.max(1, minSamples)) - 1
  return Float64Array.from({length: n}, (_, point) => distances[point * k + column]!)
}

/** Members compared with every point per round, over all components the kNN edges leave stranded (approximate mode). */
const strandedSearchBudget = 1000

/**
 * The minimum spanning tree of the mutual-reachability graph max(core(p), core(q), d(p, q)/alpha). `exact`: the kNN
 * graph is exact and each round is certified (a true MST); otherwise kNN edges only, and components the kNN graph
 * leaves apart are joined through a bounded search from some of their members (see joinStranded).
 */
export function knnSpanningTree(points: FlatPoints, knn: KnnGraph, core: Float64Array, alpha: number, exact: boolean): SpanningTree {
  const {n, k, indices, distances} = knn
  const edges = Math.max(0, n - 1)
  const from = new Int32Array(edges)
  const to = new Int32Array(edges)
  const weight = new Float64Array(edges)
  const parent = Int32Array.from({length: n}, (_, index) => index)
  const find = (x: number): number => findRoot(parent, x)
  const root = new Int32Array(n)
  const bestWeight = new Float64Array(n)
  const bestFrom = new Int32Array(n)
  const bestTo = new Int32Array(n)
  const reach = (p: number, q: number, distance: number): number => {
    const scaled = alpha === 1 ? distance : distance / alpha
    const cp = core[p]!
    const cq = core[q]!
    const c = cp > cq ? cp : cq
    return scaled > c ? scaled : c
  }
  // Keeps the cheapest edge per component; ties go to the smaller, then larger endpoint (a strict total order).
  const offer = (component: number, p: number, q: number, value: number): void => {
    const current = bestWeight[component]!
    if (value > current) return
    const low = p < q ? p : q
    const high = p < q ? q : p
    if (value === current && bestFrom[component] !== -1) {
      const bestLow = Math.min(bestFrom[component]!, bestTo[component]!)
      const bestHigh = Math.max(bestFrom[component]!, bestTo[component]!)
      if (low > bestLow || (low === bestLow && high >= bestHigh)) return
    }
    bestWeight[component] = value
    bestFrom[component] = p
    bestTo[component] = q
  }
  const compareWithEveryPoint = (p: number): void => {
    const component = root[p]!
    for (let q = 0; q < n; q++) if (root[q] !== component) offer(component, p, q, reach(p, q, euclidean(points, p, q)))
  }
  let added = 0
  while (added < edges) {
    for (let point = 0; point < n; point++) root[point] = find(point)
    bestWeight.fill(Infinity)
    bestFrom.fill(-1)
    for (let p = 0; p < n; p++) {
      const rp = root[p]!
      for (let slot = 1; slot < k; slot++) {
        const q = indices[p * k + slot]!
        const rq = root[q]!
        if (rq === rp) continue
        const value = reach(p, q, distances[p * k + slot]!)
        offer(rp, p, q, value)
        offer(rq, q, p, value)
      }
    }
    if (exact) {
      for (let p = 0; p < n; p++) {
        const kth = distances[p * k + k - 1]!
        const bound = Math.max(core[p]!, alpha === 1 ? kth : kth / alpha)
        if (k < n && bound < bestWeight[root[p]!]!) compareWithEveryPoint(p)
      }
    } else {
      joinStranded(n, root, bestFrom, compareWithEveryPoint)
    }
    let progress = false
    for (let component = 0; component < n; component++) {
      if (root[component] !== component || bestFrom[component] === -1) continue
      const a = find(bestFrom[component]!)
      const b = find(bestTo[component]!)
      if (a === b) continue
      parent[a] = b
      from[added] = bestFrom[component]!
      to[added] = bestTo[component]!
      weight[added++] = bestWeight[component]!
      progress = true
    }
    if (!progress) {
      // A safety net (joinStranded always finds an edge): components still apart are joined at an infinite distance.
      for (let point = 1; point < n && added < edges; point++) {
        const a = find(point)
        const b = find(0)
        if (a === b) continue
        parent[a] = b
        from[added] = 0
        to[added] = point
        weight[added++] = Infinity
      }
    }
  }
  orientFromStart(n, from, to)
  return {from, to, weight}
}

/**
 * Points each edge away from point 0, as Prim's tree grown from point 0 has it (`from` on point 0's side), so the
 * single-linkage tree, and with it the cluster numbering, is the same as the dense path's.
 */
function orientFromStart(n: number, from: Int32Array, to: Int32Array): void {
  const degree = new Int32Array(n + 1)
  for (let edge = 0; edge < from.length; edge++) {
    degree[from[edge]! + 1]!++
    degree[to[edge]! + 1]!++
  }
  for (let point = 0; point < n; point++) degree[point + 1]! += degree[point]!
  const next = degree.slice(0, n)
  const incident = new Int32Array(2 * from.length)
  for (let edge = 0; edge < from.length; edge++) {
    incident[next[from[edge]!]!++] = edge
    incident[next[to[edge]!]!++] = edge
  }
  const seen = new Uint8Array(n)
  const queue = new Int32Array(n)
  let head = 0
  let tail = 0
  queue[tail++] = 0
  seen[0] = 1
  while (head < tail) {
    const point = queue[head++]!
    for (let slot = degree[point]!; slot < degree[point + 1]!; slot++) {
      const edge = incident[slot]!
      const other = from[edge] === point ? to[edge]! : from[edge]!
      if (seen[other]) continue
      seen[other] = 1
      from[edge] = point
      to[edge] = other
      queue[tail++] = other
    }
  }
}

/**
 * In approximate mode, a component without any kNN edge out is compared with every other point from some of its
 * members: as many, evenly spaced, as a budget of n · 1,000 distances per round allows across those components
 * (at least one each), so the search stays O(n) per round however many there are.
 */
function joinStranded(n: number, root: Int32Array, bestFrom: Int32Array, compareWithEveryPoint: (p: number) => void): void {
  const size = new Int32Array(n)
  for (let point = 0; point < n; point++) size[root[point]!]!++
  let components = 0
  let stranded = 0
  for (let component = 0; component < n; component++) {
    if (size[component]! === 0) continue
    components++
    if (bestFrom[component] === -1) stranded++
  }
  if (components < 2 || stranded === 0) return
  const perComponent = Math.max(1, Math.floor(strandedSearchBudget / stranded))
  const seen = new Int32Array(n)
  for (let point = 0; point < n; point++) {
    const component = root[point]!
    if (bestFrom[component] !== -1 && seen[component] === 0) continue
    const stride = Math.max(1, Math.floor(size[component]! / perComponent))
    if (seen[component]! % stride === 0 && Math.floor(seen[component]! / stride) < perComponent) compareWithEveryPoint(point)
    seen[component]!++
  }
}

function euclidean(points: FlatPoints, p: number, q: number): number {
  const {dim, values} = points
  let sum = 0
  for (let index = 0; index < dim; index++) {
    const difference = values[p * dim + index]! - values[q * dim + index]!
    sum += difference * difference
  }
  return Math.sqrt(sum)
}
