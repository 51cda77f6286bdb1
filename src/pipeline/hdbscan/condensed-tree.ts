// Step 6 of HDBSCAN: condense the single-linkage tree with a minimum cluster size.
import type {SingleLinkageTree} from './single-linkage.js'

/**
 * Condensed tree as parallel row arrays. Row r says `child[r]` leaves (a point, size 1) or splits off
 * (a cluster, size > 1) from cluster `parent[r]` at `lambda[r]` = 1/distance (Infinity at distance 0).
 * Points are 0..nPoints-1; clusters are nPoints..nPoints+nClusters-1, the root being nPoints.
 * A child cluster always has a larger id than its parent.
 */
export interface CondensedTree {
  nPoints: number
  nClusters: number
  parent: Int32Array
  child: Int32Array
  lambda: Float64Array
  size: Int32Array
}

/** Per-cluster view of a condensed tree, indexed by cluster id - nPoints (the root is index 0). */
export interface ClusterHierarchy {
  /** Parent cluster index, -1 for the root. */
  parent: Int32Array
  /** Lambda at which the cluster was born (0 for the root). */
  birth: Float64Array
  /** Number of points in the cluster when born (nPoints for the root). */
  size: Int32Array
  /** Child cluster indices of cluster c are children[childStart[c] .. childStart[c+1]). */
  childStart: Int32Array
  children: Int32Array
}

/** Converts a merge distance to lambda = 1/distance (Infinity when the distance is 0). */
export function toLambda(distance: number): number {
  return distance > 0 ? 1 / distance : Infinity
}

/**
 * Condenses a single-linkage tree: parts smaller than minClusterSize become points falling out of their cluster;
 * a split into two or more parts of at least minClusterSize points creates new child clusters.
 */
export function condenseTree(slt: SingleLinkageTree, minClusterSize: number): CondensedTree {
  const n = slt.n
  if (n < 2) {
    return {
      nPoints: n,
      nClusters: n === 0 ? 0 : 1,
      parent: new Int32Array(0),
      child: new Int32Array(0),
      lambda: new Float64Array(0),
      size: new Int32Array(0),
    }
  }
  const m = n - 1
  const root = 2 * n - 2
  const relabel = new Int32Array(root + 1)
  relabel[root] = n
  let nextLabel = n + 1

  const parents: number[] = []
  const children: number[] = []
  const lambdas: number[] = []
  const sizes: number[] = []
  const push = (p: number, c: number, l: number, s: number): void => {
    parents.push(p)
    children.push(c)
    lambdas.push(l)
    sizes.push(s)
  }

  const sizeOf = (node: number): number => (node < n ? 1 : slt.size[node - n]!)
  // Breadth-first order from the root (as the reference implementations), so cluster ids grow with depth.
  const queue = new Int32Array(m)
  let head = 0
  let tail = 0
  queue[tail++] = root
  const scratch = new Int32Array(root + 1)

  // Every point under `node` falls out of cluster `label` at `lambda` (breadth-first order).
  const fallOut = (node: number, label: number, lambda: number): void => {
    let h = 0
    let t = 0
    scratch[t++] = node
    while (h < t) {
      const v = scratch[h++]!
      if (v < n) {
        push(label, v, lambda, 1)
      } else {
        scratch[t++] = slt.left[v - n]!
        scratch[t++] = slt.right[v - n]!
      }
    }
  }

  // Children of a merge at distance d: descend through child merges at exactly the same distance, so that a
  // k-way tie becomes one k-way split. Without this, the order in which tied MST edges are merged (which depends
  // on the input row order) could change the condensed tree; with it, the tree is invariant under row permutations.
  const kids: number[] = []
  const pending: number[] = []
  const gatherChildren = (node: number): void => {
    kids.length = 0
    const d = slt.distance[node - n]!
    pending.push(slt.right[node - n]!, slt.left[node - n]!)
    while (pending.length > 0) {
      const c = pending.pop()!
      if (c >= n && slt.distance[c - n] === d) pending.push(slt.right[c - n]!, slt.left[c - n]!)
      else kids.push(c)
    }
  }

  while (head < tail) {
    const node = queue[head++]!
    const lambda = toLambda(slt.distance[node - n]!)
    const label = relabel[node]!
    gatherChildren(node)
    let big = 0
    for (const c of kids) if (sizeOf(c) >= minClusterSize) big++
    for (const c of kids) {
      const size = sizeOf(c)
      if (size < minClusterSize) {
        // Too small: its points fall out of the current cluster.
        fallOut(c, label, lambda)
      } else if (big === 1) {
        // The only large part carries on as the same cluster.
        relabel[c] = label
        queue[tail++] = c
      } else {
        // A true split: every large part becomes a new cluster.
        relabel[c] = nextLabel++
        push(label, relabel[c]!, lambda, size)
        queue[tail++] = c
      }
    }
  }

  return {
    nPoints: n,
    nClusters: nextLabel - n,
    parent: Int32Array.from(parents),
    child: Int32Array.from(children),
    lambda: Float64Array.from(lambdas),
    size: Int32Array.from(sizes),
  }
}

/** Extracts each cluster's parent, birth lambda, size and child clusters from a condensed tree. */
export function clusterHierarchy(tree: CondensedTree): ClusterHierarchy {
  const {nPoints: n, nClusters: k} = tree
  const parent = new Int32Array(k).fill(-1)
  const birth = new Float64Array(k)
  const size = new Int32Array(k)
  const childCount = new Int32Array(k)
  if (k > 0) size[0] = n
  const rows = tree.child.length
  for (let r = 0; r < rows; r++) {
    const c = tree.child[r]!
    if (c < n) continue
    const ci = c - n
    const pi = tree.parent[r]! - n
    parent[ci] = pi
    birth[ci] = tree.lambda[r]!
    size[ci] = tree.size[r]!
    childCount[pi]!++
  }
  const childStart = new Int32Array(k + 1)
  for (let c = 0; c < k; c++) childStart[c + 1] = childStart[c]! + childCount[c]!
  const children = new Int32Array(Math.max(0, k - 1))
  const fill = childStart.slice(0, k)
  for (let c = 1; c < k; c++) {
    const p = parent[c]!
    if (p >= 0) children[fill[p]!++] = c
  }
  return {parent, birth, size, childStart, children}
}
