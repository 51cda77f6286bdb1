// Step 1–2 of HDBSCAN: euclidean distances (a dense matrix, or rows computed on demand for large inputs) and core
// distances.

/** Rows of the euclidean distance matrix of n points. */
export interface DistanceRows {
  readonly n: number
  /** Distances from point i to every point (0 to itself); valid until the next call. */
  row(i: number): Float64Array
}

/** Above this many points the matrix (n² doubles, 128 MiB at 4096) is not kept: rows are computed when needed. */
export const denseLimit = 4096

/** The distance rows of the points: the dense matrix up to denseLimit points, computed rows beyond. */
export function distanceRows(points: ReadonlyArray<ArrayLike<number>>, limit = denseLimit): DistanceRows {
  return points.length <= limit ? denseRows(pairwiseDistances(points), points.length) : computedRows(points)
}

/** Rows of a dense row-major n×n matrix. */
export function denseRows(distances: Float64Array, n: number): DistanceRows {
  if (distances.length !== n * n) throw new Error(`hdbscan: distance matrix has ${distances.length} entries, expected ${n * n}`)
  return {n, row: (i) => distances.subarray(i * n, i * n + n)}
}

/**
 * Rows computed from the points each time one is asked for: O(n) memory, n·dim work per row. Each distance is
 * bit-identical to the dense matrix's ((a−b)² = (b−a)², summed in the same order).
 */
export function computedRows(points: ReadonlyArray<ArrayLike<number>>): DistanceRows {
  const {flat, dim} = flattenPoints(points)
  const n = points.length
  const out = new Float64Array(n)
  return {
    n,
    row(i) {
      const bi = i * dim
      for (let j = 0; j < n; j++) {
        const bj = j * dim
        let sum = 0
        for (let k = 0; k < dim; k++) {
          const diff = flat[bi + k]! - flat[bj + k]!
          sum += diff * diff
        }
        out[j] = Math.sqrt(sum)
      }
      out[i] = 0
      return out
    },
  }
}

/** The points as one row-major array; throws on ragged rows or non-finite coordinates. */
function flattenPoints(points: ReadonlyArray<ArrayLike<number>>): {flat: Float64Array; dim: number} {
  const n = points.length
  const dim = n > 0 ? points[0]!.length : 0
  const flat = new Float64Array(n * dim)
  for (let i = 0; i < n; i++) {
    const row = points[i]!
    if (row.length !== dim) {
      throw new Error(`hdbscan: row ${i} has ${row.length} coordinates, expected ${dim} (same as row 0)`)
    }
    const base = i * dim
    for (let k = 0; k < dim; k++) {
      const v = row[k]!
      if (!Number.isFinite(v)) {
        throw new Error(`hdbscan: row ${i} has a non-finite coordinate at index ${k} (${String(v)})`)
      }
      flat[base + k] = v
    }
  }
  return {flat, dim}
}

/** Computes the dense row-major n*n matrix of euclidean distances; throws on ragged rows or non-finite coordinates. */
export function pairwiseDistances(points: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const n = points.length
  const {flat, dim} = flattenPoints(points)

  // Tiled over blocks of rows/columns so that the mirrored writes stay cache-friendly.
  const out = new Float64Array(n * n)
  const B = 64
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B)
    for (let j0 = i0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B)
      for (let i = i0; i < i1; i++) {
        const bi = i * dim
        const rowI = i * n
        for (let j = j0 > i ? j0 : i + 1; j < j1; j++) {
          const bj = j * dim
          let sum = 0
          for (let k = 0; k < dim; k++) {
            const diff = flat[bi + k]! - flat[bj + k]!
            sum += diff * diff
          }
          const d = Math.sqrt(sum)
          out[rowI + j] = d
          out[j * n + i] = d
        }
      }
    }
  }
  return out
}

/** Core distance of each point: the minSamples-th smallest entry of its distance row, counting itself at distance 0 (sklearn semantics). */
export function coreDistances(distances: DistanceRows, minSamples: number): Float64Array {
  const {n} = distances
  const core = new Float64Array(n)
  if (n === 0) return core
  const m = Math.min(n, Math.max(1, Math.floor(minSamples)))
  if (m <= SMALL_K) {
    // Keep the m smallest values of the row in a sorted buffer: one comparison per entry in the common case.
    const buffer = new Float64Array(m)
    for (let i = 0; i < n; i++) {
      const row = distances.row(i)
      let filled = 0
      for (let j = 0; j < n; j++) {
        const v = row[j]!
        if (filled === m) {
          if (v >= buffer[m - 1]!) continue
          filled--
        }
        let p = filled++
        while (p > 0 && buffer[p - 1]! > v) {
          buffer[p] = buffer[p - 1]!
          p--
        }
        buffer[p] = v
      }
      core[i] = buffer[m - 1]!
    }
    return core
  }
  const scratch = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    scratch.set(distances.row(i))
    core[i] = selectKth(scratch, m - 1)
  }
  return core
}

const SMALL_K = 64

/** Returns the k-th smallest value (0-based) of `values`, reordering it in place (quickselect, median-of-three pivot). */
export function selectKth(values: Float64Array, k: number): number {
  let lo = 0
  let hi = values.length - 1
  while (hi > lo) {
    const mid = (lo + hi) >>> 1
    // Order values[lo], values[mid], values[hi] so the median lands in mid.
    if (values[mid]! < values[lo]!) swap(values, mid, lo)
    if (values[hi]! < values[lo]!) swap(values, hi, lo)
    if (values[hi]! < values[mid]!) swap(values, hi, mid)
    const pivot = values[mid]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        swap(values, i, j)
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return values[k]!
  }
  return values[k]!
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}
