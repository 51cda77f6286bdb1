// Step 5 of HDBSCAN: single-linkage merge tree from the MST edges (union-find).
import type {SpanningTree} from './minimum-spanning-tree.js'
import {findRoot} from './union-find.js'

/**
 * Single-linkage tree in scipy layout: merge i joins `left[i]` and `right[i]` at `distance[i]`
 * into node n+i holding `size[i]` points. Nodes 0..n-1 are the points; the root is 2n-2.
 */
export interface SingleLinkageTree {
  n: number
  left: Int32Array
  right: Int32Array
  distance: Float64Array
  size: Int32Array
}

/** Returns the edge indices ordered by weight, then smaller endpoint, then larger endpoint (deterministic under ties). */
export function sortEdges(mst: SpanningTree): Int32Array {
  const m = mst.weight.length
  const order = new Int32Array(m)
  for (let i = 0; i < m; i++) order[i] = i
  const {from, to, weight} = mst
  order.sort((a, b) => {
    const wa = weight[a]!
    const wb = weight[b]!
    if (wa !== wb) return wa < wb ? -1 : 1
    const fa = from[a]!
    const ta = to[a]!
    const fb = from[b]!
    const tb = to[b]!
    const loA = fa < ta ? fa : ta
    const loB = fb < tb ? fb : tb
    if (loA !== loB) return loA - loB
    const hiA = fa < ta ? ta : fa
    const hiB = fb < tb ? tb : fb
    return hiA - hiB
  })
  return order
}

/** Builds the single-linkage tree of n points from their n-1 spanning-tree edges. */
export function singleLinkage(mst: SpanningTree, n: number): SingleLinkageTree {
  const m = mst.weight.length
  if (m !== Math.max(0, n - 1)) throw new Error(`hdbscan: expected ${Math.max(0, n - 1)} spanning-tree edges, got ${m}`)
  const left = new Int32Array(m)
  const right = new Int32Array(m)
  const distance = new Float64Array(m)
  const size = new Int32Array(m)
  const order = sortEdges(mst)

  // Union-find over all 2n-1 tree nodes: a merged root points at the new node n+i.
  const total = n + m
  const parent = new Int32Array(total)
  for (let i = 0; i < total; i++) parent[i] = i
  const nodeSize = new Int32Array(total)
  for (let i = 0; i < n; i++) nodeSize[i] = 1

  const find = (x: number): number => findRoot(parent, x)

  for (let i = 0; i < m; i++) {
    const e = order[i]!
    const ra = find(mst.from[e]!)
    const rb = find(mst.to[e]!)
    if (ra === rb) throw new Error('hdbscan: spanning-tree edges contain a cycle')
    const node = n + i
    left[i] = ra
    right[i] = rb
    distance[i] = mst.weight[e]!
    const s = nodeSize[ra]! + nodeSize[rb]!
    size[i] = s
    nodeSize[node] = s
    parent[ra] = node
    parent[rb] = node
  }
  return {n, left, right, distance, size}
}
