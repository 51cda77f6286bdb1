// Step 3–4 of HDBSCAN: Prim's minimum spanning tree over the mutual-reachability graph.
import type {DistanceRows} from './core-distances.js'

/** The n-1 edges of a spanning tree, in the order Prim added them; `from` is the true in-tree endpoint. */
export interface SpanningTree {
  from: Int32Array
  to: Int32Array
  weight: Float64Array
}

/** Mutual-reachability distance max(core[i], core[j], d(i,j)/alpha) for one pair, read from the dense distance matrix. */
export function mutualReachability(distances: Float64Array, core: Float64Array, n: number, i: number, j: number, alpha = 1): number {
  const raw = distances[i * n + j]!
  const d = alpha === 1 ? raw : raw / alpha
  const ci = core[i]!
  const cj = core[j]!
  const c = ci > cj ? ci : cj
  return d > c ? d : c
}

/**
 * Builds the MST of the complete mutual-reachability graph with Prim's algorithm, starting at node 0.
 * Mutual reachability is computed on the fly (no second matrix): O(n^2) time, O(n) extra memory; one distance row
 * is read per step.
 * Ties between candidates of equal weight go to the smaller node index.
 */
export function minimumSpanningTree(distances: DistanceRows, core: Float64Array, alpha = 1): SpanningTree {
  const {n} = distances
  if (core.length !== n) throw new Error(`hdbscan: expected ${n} core distances, got ${core.length}`)
  const edges = Math.max(0, n - 1)
  const from = new Int32Array(edges)
  const to = new Int32Array(edges)
  const weight = new Float64Array(edges)
  if (n < 2) return {from, to, weight}

  const inTree = new Uint8Array(n)
  const best = new Float64Array(n).fill(Infinity)
  const src = new Int32Array(n) // 0 = the start node, valid even if a weight stays infinite
  let current = 0
  for (let e = 0; e < edges; e++) {
    inTree[current] = 1
    const row = distances.row(current)
    const coreCur = core[current]!
    let pick = -1
    let pickWeight = Infinity
    for (let j = 0; j < n; j++) {
      if (inTree[j] === 1) continue
      const raw = row[j]!
      let mr = alpha === 1 ? raw : raw / alpha
      if (coreCur > mr) mr = coreCur
      const cj = core[j]!
      if (cj > mr) mr = cj
      if (mr < best[j]!) {
        best[j] = mr
        src[j] = current
      }
      const b = best[j]!
      if (pick === -1 || b < pickWeight) {
        pick = j
        pickWeight = b
      }
    }
    from[e] = src[pick]!
    to[e] = pick
    weight[e] = pickWeight
    current = pick
  }
  return {from, to, weight}
}
