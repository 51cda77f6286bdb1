/**
 * Places vectors in the plane by their first two principal components (PCA): cheap enough at report time for a
 * few thousand topic embeddings, deterministic, and faithful to the largest directions of variation.
 */

/** The 2-d coordinates of each vector, scaled into [0, 1] on both axes (0.5 when an axis has no spread). */
export function projectToPlane(vectors: readonly ArrayLike<number>[]): {x: number; y: number}[] {
  const count = vectors.length
  if (count === 0) return []
  const dimensions = vectors.reduce((least, vector) => Math.min(least, vector.length), Number.POSITIVE_INFINITY)
  if (dimensions === 0) return vectors.map(() => ({x: 0.5, y: 0.5}))
  const centred = centre(vectors, dimensions)
  const first = principalDirection(centred, dimensions, [])
  const second = principalDirection(centred, dimensions, [first])
  const xs = centred.map((row) => dot(row, first))
  const ys = centred.map((row) => dot(row, second))
  const xScaled = scaleToUnit(xs)
  const yScaled = scaleToUnit(ys)
  return xScaled.map((x, index) => ({x, y: yScaled[index]!}))
}

function centre(vectors: readonly ArrayLike<number>[], dimensions: number): Float64Array[] {
  const mean = new Float64Array(dimensions)
  for (const vector of vectors) for (let d = 0; d < dimensions; d++) mean[d]! += vector[d]! / vectors.length
  return vectors.map((vector) => {
    const row = new Float64Array(dimensions)
    for (let d = 0; d < dimensions; d++) row[d] = vector[d]! - mean[d]!
    return row
  })
}

/** The leading eigenvector of XᵀX orthogonal to `previous`, by power iteration from a fixed start. */
function principalDirection(rows: Float64Array[], dimensions: number, previous: Float64Array[]): Float64Array {
  let direction = new Float64Array(dimensions)
  for (let d = 0; d < dimensions; d++) direction[d] = 1 + ((d * 7919) % 13) / 13 // fixed, not aligned with any axis
  orthonormalize(direction, previous)
  for (let iteration = 0; iteration < 100; iteration++) {
    const next = new Float64Array(dimensions)
    for (const row of rows) {
      const projection = dot(row, direction)
      for (let d = 0; d < dimensions; d++) next[d]! += projection * row[d]!
    }
    if (!orthonormalize(next, previous)) return direction // no variance left in this direction
    const change = 1 - Math.abs(dot(next, direction))
    direction = next
    if (change < 1e-10) break
  }
  return direction
}

/** Removes the components along `basis` and scales to length 1; false when nothing is left. */
function orthonormalize(vector: Float64Array, basis: Float64Array[]): boolean {
  for (const axis of basis) {
    const along = dot(vector, axis)
    for (let d = 0; d < vector.length; d++) vector[d]! -= along * axis[d]!
  }
  const length = Math.sqrt(dot(vector, vector))
  if (length < 1e-12) return false
  for (let d = 0; d < vector.length; d++) vector[d]! /= length
  return true
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!
  return sum
}

function scaleToUnit(values: number[]): number[] {
  const low = values.reduce((least, value) => Math.min(least, value), Number.POSITIVE_INFINITY)
  const high = values.reduce((most, value) => Math.max(most, value), Number.NEGATIVE_INFINITY)
  return values.map((value) => (high - low < 1e-12 ? 0.5 : (value - low) / (high - low)))
}
