// Step 7 of HDBSCAN: cluster stability and flat cluster selection (EOM or leaf, epsilon, single cluster).
import {clusterHierarchy, type ClusterHierarchy, type CondensedTree} from './condensed-tree.js'

export interface ClusterSelectionOptions {
  selection: 'eom' | 'leaf'
  allowSingleCluster: boolean
  /** cluster_selection_epsilon (a distance); 0 disables it. */
  epsilon: number
  /** EOM only; 0 = unlimited. */
  maxClusterSize: number
}

/** Stability of every cluster (index = cluster id - nPoints): sum over its rows of (lambda - birth lambda) * row size. */
export function computeStability(tree: CondensedTree, hierarchy: ClusterHierarchy = clusterHierarchy(tree)): Float64Array {
  const n = tree.nPoints
  const stability = new Float64Array(tree.nClusters)
  const rows = tree.child.length
  for (let r = 0; r < rows; r++) {
    const p = tree.parent[r]! - n
    const lambda = tree.lambda[r]!
    const birth = hierarchy.birth[p]!
    // lambda === birth covers Infinity - Infinity (duplicate points), which would otherwise give NaN.
    if (lambda !== birth) stability[p]! += (lambda - birth) * tree.size[r]!
  }
  return stability
}

/** Chooses the flat clustering from a condensed tree; returns the selected cluster ids in ascending order. */
export function selectClusters(
  tree: CondensedTree,
  stability: Float64Array,
  options: ClusterSelectionOptions,
  hierarchy: ClusterHierarchy = clusterHierarchy(tree),
): Int32Array {
  const k = tree.nClusters
  if (k === 0) return new Int32Array(0)
  let selected =
    options.selection === 'leaf' ? selectLeaves(hierarchy, k) : selectExcessOfMass(hierarchy, k, stability, options)
  if (options.epsilon > 0) selected = applyEpsilon(hierarchy, k, selected, options.epsilon, options.allowSingleCluster)
  selected = dropNestedSelections(hierarchy, k, selected)
  const ids: number[] = []
  for (let c = 0; c < k; c++) if (selected[c] === 1) ids.push(c + tree.nPoints)
  return Int32Array.from(ids)
}

function selectExcessOfMass(
  h: ClusterHierarchy,
  k: number,
  stabilityIn: Float64Array,
  options: ClusterSelectionOptions,
): Uint8Array {
  const stability = Float64Array.from(stabilityIn)
  const selected = new Uint8Array(k)
  const maxSize = options.maxClusterSize > 0 ? options.maxClusterSize : Infinity
  const last = options.allowSingleCluster ? 0 : 1
  // Children have larger ids than their parents, so descending ids visit children first.
  for (let c = k - 1; c >= last; c--) {
    let childStability = 0
    let childSize = 0
    for (let q = h.childStart[c]!; q < h.childStart[c + 1]!; q++) {
      const child = h.children[q]!
      childStability += stability[child]!
      childSize += h.size[child]!
    }
    // As in the reference implementations, the root's size is that of its child clusters.
    const size = c === 0 ? childSize : h.size[c]!
    if (childStability > stability[c]! || size > maxSize) {
      selected[c] = 0
      stability[c] = childStability
    } else {
      selected[c] = 1
      clearDescendants(h, c, selected)
    }
  }
  return selected
}

function selectLeaves(h: ClusterHierarchy, k: number): Uint8Array {
  const selected = new Uint8Array(k)
  if (k === 1) {
    // No cluster below the root: select the root, as the doc says (§2.2 step 7). It labels points only with
    // allowSingleCluster. (In sklearn and contrib this assignment is overwritten, so they return all noise.)
    selected[0] = 1
    return selected
  }
  for (let c = 1; c < k; c++) if (h.childStart[c + 1] === h.childStart[c]) selected[c] = 1
  return selected
}

/** Distance at which a cluster was born (Infinity for the root, 0 for a cluster born at lambda = Infinity). */
function birthDistance(h: ClusterHierarchy, c: number): number {
  const b = h.birth[c]!
  return b > 0 ? 1 / b : Infinity
}

function applyEpsilon(h: ClusterHierarchy, k: number, selected: Uint8Array, epsilon: number, allowSingle: boolean): Uint8Array {
  const out = new Uint8Array(k)
  for (let c = 0; c < k; c++) {
    if (selected[c] !== 1) continue
    if (c === 0 || birthDistance(h, c) >= epsilon) {
      out[c] = 1
      continue
    }
    // Walk up to the first ancestor born at a distance above epsilon; the root only with allowSingleCluster.
    let current = c
    let target = -1
    while (target < 0) {
      const p = h.parent[current]!
      if (p === 0) target = allowSingle ? 0 : current
      else if (birthDistance(h, p) > epsilon) target = p
      else current = p
    }
    out[target] = 1
  }
  return out
}

/** Keeps only selected clusters that have no selected ancestor (the epsilon walk can select an ancestor of another selection). */
function dropNestedSelections(h: ClusterHierarchy, k: number, selected: Uint8Array): Uint8Array {
  const covered = new Uint8Array(k) // 1 if some proper ancestor is selected
  const out = new Uint8Array(k)
  for (let c = 0; c < k; c++) {
    const p = h.parent[c]!
    if (p >= 0) covered[c] = covered[p] === 1 || selected[p] === 1 ? 1 : 0
    out[c] = selected[c] === 1 && covered[c] === 0 ? 1 : 0
  }
  return out
}

function clearDescendants(h: ClusterHierarchy, c: number, selected: Uint8Array): void {
  const stack: number[] = []
  for (let q = h.childStart[c]!; q < h.childStart[c + 1]!; q++) stack.push(h.children[q]!)
  while (stack.length > 0) {
    const d = stack.pop()!
    selected[d] = 0
    for (let q = h.childStart[d]!; q < h.childStart[d + 1]!; q++) stack.push(h.children[q]!)
  }
}
