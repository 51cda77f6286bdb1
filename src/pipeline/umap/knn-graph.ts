// The k-nearest-neighbour graph shared by UMAP and HDBSCAN: flat typed arrays, each row starting with the point itself.

/** k neighbours per point, row-major (n × k); column 0 is the point itself at distance 0, the rest nearest first. */
export interface KnnGraph {
  readonly n: number
  readonly k: number
  readonly indices: Int32Array
  readonly distances: Float64Array
}

/** Points as one row-major Float64Array (n × dim). */
export interface FlatPoints {
  readonly n: number
  readonly dim: number
  readonly values: Float64Array
}

/** Copies rows into one flat array; with `normalise`, each row is scaled to unit length (zero rows stay zero). */
export function flattenPoints(points: readonly ArrayLike<number>[], normalise = false): FlatPoints {
  const n = points.length
  const dim = n > 0 ? points[0]!.length : 0
  const values = new Float64Array(n * dim)
  for (let row = 0; row < n; row++) {
    const point = points[row]!
    const base = row * dim
    let squared = 0
    for (let index = 0; index < dim; index++) {
      const value = point[index]!
      values[base + index] = value
      squared += value * value
    }
    if (normalise && squared > 0) {
      const scale = 1 / Math.sqrt(squared)
      for (let index = 0; index < dim; index++) values[base + index]! *= scale
    }
  }
  return {n, dim, values}
}

/** Distance between rows `left` and `right` of flat points: 1 − dot for unit rows (cosine), or euclidean. */
export type RowDistance = (values: Float64Array, dim: number, left: number, right: number) => number

/**
 * Cosine distance of two unit-length rows (1 when either is zero), never below 0. The dot product is summed in four
 * lanes (index mod 4, then (0 + 1) + (2 + 3)): one chain of 100 dependent adds would wait ~4 cycles on each, and the
 * neighbour searches are made of these products.
 */
export const unitCosineDistance: RowDistance = (values, dim, left, right) => {
  const a = left * dim
  const b = right * dim
  let lane0 = 0
  let lane1 = 0
  let lane2 = 0
  let lane3 = 0
  let index = 0
  for (; index + 3 < dim; index += 4) {
    lane0 += values[a + index]! * values[b + index]!
    lane1 += values[a + index + 1]! * values[b + index + 1]!
    lane2 += values[a + index + 2]! * values[b + index + 2]!
    lane3 += values[a + index + 3]! * values[b + index + 3]!
  }
  for (; index < dim; index++) lane0 += values[a + index]! * values[b + index]!
  const distance = 1 - (lane0 + lane1 + (lane2 + lane3))
  return distance > 0 ? distance : 0
}

/** Euclidean distance of two rows. */
export const euclideanDistance: RowDistance = (values, dim, left, right) => {
  const a = left * dim
  const b = right * dim
  let sum = 0
  for (let index = 0; index < dim; index++) {
    const difference = values[a + index]! - values[b + index]!
    sum += difference * difference
  }
  return Math.sqrt(sum)
}

/**
 * Exact k nearest neighbours by comparing every pair once (n²/2 distances, one row of n at a time): ties go to the
 * lower index, the point itself first. For per-firm inputs (hundreds to a few thousand points).
 */
export function exactKnn(points: FlatPoints, k: number, distance: RowDistance): KnnGraph {
  const {n, dim, values} = points
  const indices = new Int32Array(n * k)
  const distances = new Float64Array(n * k)
  const row = new Float64Array(n)
  const computed = new Float64Array(n > 2048 ? 0 : n * n)
  const dense = computed.length > 0
  for (let point = 0; point < n; point++) {
    if (dense) {
      for (let other = 0; other < point; other++) row[other] = computed[other * n + point]!
      for (let other = point + 1; other < n; other++) {
        const value = distance(values, dim, point, other)
        row[other] = value
        computed[point * n + other] = value
      }
    } else {
      for (let other = 0; other < n; other++) row[other] = other === point ? 0 : distance(values, dim, point, other)
    }
    row[point] = -1
    keepNearest(row, k, indices, distances, point * k)
    distances[point * k] = 0
  }
  return {n, k, indices, distances}
}

/** Writes the k smallest entries of `row` (ascending, ties to the lower index) at `offset`, by insertion. */
function keepNearest(row: Float64Array, k: number, indices: Int32Array, distances: Float64Array, offset: number): void {
  let filled = 0
  for (let other = 0; other < row.length; other++) {
    const value = row[other]!
    if (filled === k && value >= distances[offset + k - 1]!) continue
    let position = filled < k ? filled++ : k - 1
    while (position > 0 && distances[offset + position - 1]! > value) {
      distances[offset + position] = distances[offset + position - 1]!
      indices[offset + position] = indices[offset + position - 1]!
      position--
    }
    distances[offset + position] = value
    indices[offset + position] = other
  }
}
