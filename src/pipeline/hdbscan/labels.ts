// Step 8 of HDBSCAN: point labels and membership probabilities from the selected clusters.
import type {CondensedTree} from './condensed-tree.js'

export interface HdbscanResult {
  /** Cluster label per point (0..k-1 in ascending cluster-id order), -1 for noise. */
  labels: Int32Array
  /** Membership strength in [0, 1]; 0 for noise. */
  probabilities: Float64Array
}

/** Labels every point with its nearest selected ancestor cluster and computes membership probabilities. */
export function labelPoints(
  tree: CondensedTree,
  selectedIds: ArrayLike<number>,
  allowSingleCluster: boolean,
  epsilon: number,
): HdbscanResult {
  const {nPoints: n, nClusters: k} = tree
  const labels = new Int32Array(n).fill(-1)
  const probabilities = new Float64Array(n)
  if (n === 0 || k === 0) return {labels, probabilities}

  // Cluster structure and per-cluster death lambda (max lambda over the cluster's own rows).
  const clusterParent = new Int32Array(k).fill(-1)
  const death = new Float64Array(k)
  const pointCluster = new Int32Array(n).fill(-1)
  const pointLambda = new Float64Array(n)
  const rows = tree.child.length
  for (let r = 0; r < rows; r++) {
    const p = tree.parent[r]! - n
    const c = tree.child[r]!
    const lambda = tree.lambda[r]!
    if (lambda > death[p]!) death[p] = lambda
    if (c < n) {
      pointCluster[c] = p
      pointLambda[c] = lambda
    } else {
      clusterParent[c - n] = p
    }
  }

  const sorted = Array.from(selectedIds, (id) => id - n).sort((a, b) => a - b)
  const labelOf = new Int32Array(k).fill(-1)
  sorted.forEach((c, index) => {
    if (c < 0 || c >= k) throw new Error(`hdbscan: selected cluster ${c + n} is not in the condensed tree`)
    labelOf[c] = index
  })

  // owner[c]: nearest selected non-root cluster among c and its ancestors, -1 if none (then the point reaches the root).
  const owner = new Int32Array(k).fill(-2) // -2 = not computed yet
  owner[0] = -1
  const path: number[] = []
  for (let c = 1; c < k; c++) {
    let cur = c
    while (owner[cur] === -2) {
      if (labelOf[cur]! >= 0) {
        owner[cur] = cur
        break
      }
      path.push(cur)
      const p = clusterParent[cur]!
      if (p < 0) {
        owner[cur] = -1
        break
      }
      cur = p
    }
    const resolved = owner[cur]!
    for (const q of path) owner[q] = resolved
    path.length = 0
  }

  // The root labels points only when it is the single selected cluster (allowSingleCluster): a point joins it
  // if it fell out at lambda >= 1/epsilon (epsilon > 0), else >= the largest lambda among the root's rows.
  const rootLabels = allowSingleCluster && sorted.length === 1 && sorted[0] === 0
  const rootThreshold = epsilon > 0 ? 1 / epsilon : death[0]!

  for (let i = 0; i < n; i++) {
    const p = pointCluster[i]!
    if (p < 0) continue
    let cluster = owner[p]!
    if (cluster < 0) {
      if (!rootLabels || !(pointLambda[i]! >= rootThreshold)) continue
      cluster = 0
    }
    labels[i] = labelOf[cluster]!
    const maxLambda = death[cluster]!
    const lambda = pointLambda[i]!
    probabilities[i] = maxLambda === 0 || lambda === Infinity ? 1 : Math.min(lambda, maxLambda) / maxLambda
  }
  return {labels, probabilities}
}
