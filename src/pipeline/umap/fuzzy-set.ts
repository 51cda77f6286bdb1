// UMAP's fuzzy simplicial set: each point's neighbour distances become memberships (smooth kNN distances), and the
// directed memberships are joined by the fuzzy union a + b − ab into one symmetric graph, kept as CSR.
import type {KnnGraph} from './knn-graph.js'

/** A symmetric sparse graph in compressed sparse rows: row i's columns are columns[rowStart[i] .. rowStart[i+1]). */
export interface SparseGraph {
  readonly n: number
  readonly rowStart: Int32Array
  readonly columns: Int32Array
  readonly weights: Float64Array
}

const smoothingTolerance = 1e-5
const minimumDistanceScale = 1e-3
const bisectionSteps = 64

/**
 * Per point, the distance to its nearest other neighbour (rho) and the scale sigma at which the memberships of its
 * k − 1 neighbours sum to log2(k) (local connectivity 1, bandwidth 1, as umap-learn's smooth_knn_dist).
 */
export function smoothKnnDistances(knn: KnnGraph): {rho: Float64Array; sigma: Float64Array} {
  const {n, k, distances} = knn
  const rho = new Float64Array(n)
  const sigma = new Float64Array(n)
  const target = Math.log2(k)
  let total = 0
  for (let index = 0; index < distances.length; index++) total += distances[index]!
  const meanDistance = total / Math.max(1, distances.length)
  for (let point = 0; point < n; point++) {
    const base = point * k
    let nearest = 0
    let rowTotal = 0
    for (let slot = 0; slot < k; slot++) {
      const value = distances[base + slot]!
      rowTotal += value
      if (nearest === 0 && value > 0) nearest = value
    }
    rho[point] = nearest
    let low = 0
    let high = Infinity
    let middle = 1
    for (let step = 0; step < bisectionSteps; step++) {
      let sum = 0
      for (let slot = 1; slot < k; slot++) {
        const excess = distances[base + slot]! - nearest
        sum += excess > 0 ? Math.exp(-(excess / middle)) : 1
      }
      if (Math.abs(sum - target) < smoothingTolerance) break
      if (sum > target) {
        high = middle
        middle = (low + high) / 2
      } else {
        low = middle
        middle = high === Infinity ? middle * 2 : (low + high) / 2
      }
    }
    const floor = minimumDistanceScale * (nearest > 0 ? rowTotal / k : meanDistance)
    sigma[point] = middle < floor ? floor : middle
  }
  return {rho, sigma}
}

/** The symmetric fuzzy graph of a kNN graph (set-operation mix 1: the fuzzy union), without zero entries. */
export function fuzzySimplicialSet(knn: KnnGraph): SparseGraph {
  const {n, k, indices, distances} = knn
  const {rho, sigma} = smoothKnnDistances(knn)
  // Directed memberships as CSR (the self column dropped), then the transpose, then the union of both.
  const directed = new Float64Array(n * k)
  for (let point = 0; point < n; point++) {
    for (let slot = 0; slot < k; slot++) {
      const entry = point * k + slot
      const other = indices[entry]!
      if (other === point) continue
      const excess = distances[entry]! - rho[point]!
      directed[entry] = excess <= 0 || sigma[point] === 0 ? 1 : Math.exp(-(excess / sigma[point]!))
    }
  }
  const forward = rowsFromEntries(n, k, indices, directed)
  const backward = transpose(forward)
  return fuzzyUnion(forward, backward)
}

/** CSR of the kNN entries with a positive weight, columns ascending. */
function rowsFromEntries(n: number, k: number, indices: Int32Array, weights: Float64Array): SparseGraph {
  const rowStart = new Int32Array(n + 1)
  for (let point = 0; point < n; point++) {
    let count = 0
    for (let slot = 0; slot < k; slot++) if (weights[point * k + slot]! > 0) count++
    rowStart[point + 1] = rowStart[point]! + count
  }
  const columns = new Int32Array(rowStart[n]!)
  const values = new Float64Array(rowStart[n]!)
  for (let point = 0; point < n; point++) {
    let position = rowStart[point]!
    for (let slot = 0; slot < k; slot++) {
      const weight = weights[point * k + slot]!
      if (weight <= 0) continue
      // Insertion keeps the row's columns ascending (k is small).
      const column = indices[point * k + slot]!
      let insert = position++
      while (insert > rowStart[point]! && columns[insert - 1]! > column) {
        columns[insert] = columns[insert - 1]!
        values[insert] = values[insert - 1]!
        insert--
      }
      columns[insert] = column
      values[insert] = weight
    }
  }
  return {n, rowStart, columns, weights: values}
}

/** The transpose of a CSR graph; columns come out ascending because rows are visited in order. */
function transpose(graph: SparseGraph): SparseGraph {
  const {n, rowStart, columns, weights} = graph
  const counts = new Int32Array(n + 1)
  for (let entry = 0; entry < columns.length; entry++) counts[columns[entry]! + 1]!++
  for (let row = 0; row < n; row++) counts[row + 1]! += counts[row]!
  const next = counts.slice(0, n)
  const outColumns = new Int32Array(columns.length)
  const outWeights = new Float64Array(columns.length)
  for (let row = 0; row < n; row++) {
    for (let entry = rowStart[row]!; entry < rowStart[row + 1]!; entry++) {
      const target = next[columns[entry]!]!++
      outColumns[target] = row
      outWeights[target] = weights[entry]!
    }
  }
  return {n, rowStart: counts, columns: outColumns, weights: outWeights}
}

/** Entry-wise a + b − ab of two CSR graphs with ascending columns (a merge of each pair of rows). */
function fuzzyUnion(left: SparseGraph, right: SparseGraph): SparseGraph {
  const n = left.n
  const rowStart = new Int32Array(n + 1)
  const columns = new Int32Array(left.columns.length + right.columns.length)
  const weights = new Float64Array(columns.length)
  let out = 0
  for (let row = 0; row < n; row++) {
    let a = left.rowStart[row]!
    let b = right.rowStart[row]!
    const aEnd = left.rowStart[row + 1]!
    const bEnd = right.rowStart[row + 1]!
    while (a < aEnd || b < bEnd) {
      const aColumn = a < aEnd ? left.columns[a]! : n
      const bColumn = b < bEnd ? right.columns[b]! : n
      let weight: number
      if (aColumn === bColumn) {
        const x = left.weights[a++]!
        const y = right.weights[b++]!
        weight = x + y - x * y
      } else if (aColumn < bColumn) {
        weight = left.weights[a++]!
      } else {
        weight = right.weights[b++]!
      }
      if (weight > 0) {
        columns[out] = aColumn < bColumn ? aColumn : bColumn
        weights[out++] = weight
      }
    }
    rowStart[row + 1] = out
  }
  return {n, rowStart, columns: columns.slice(0, out), weights: weights.slice(0, out)}
}
