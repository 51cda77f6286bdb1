// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts.

/**
 * Diagonalises the symmetric tridiagonal matrix with `diagonal` (length m) and `offDiagonal` (length m − 1).
 * Returns eigenvalues in descending order and the matching eigenvectors as columns of a row-major m × m matrix, or
 * undefined when an eigenvalue fails to converge in 60 sweeps. With `lastRowOnly`, only the eigenvectors' last
 * components are computed (row m − 1 of `vectors`; the other rows stay 0): O(m²) instead of O(m³).
 */
export function tridiagonalEigen(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  lastRowOnly = false,
): {values: Float64Array; vectors: Float64Array} | undefined {
  const m = diagonal.length
  const d = Float64Array.from(diagonal)
  const e = new Float64Array(m)
  e.set(offDiagonal.subarray(0, Math.max(0, m - 1)))
  const z = new Float64Array(m * m)
  for (let index = 0; index < m; index++) z[index * m + index] = 1
  for (let low = 0; low < m; low++) {
    for (let sweep = 0; ; sweep++) {
      let high = low
      while (high < m - 1 && Math.abs(e[high]!) > Number.EPSILON * (Math.abs(d[high]!) + Math.abs(d[high + 1]!))) high++
      if (high === low) break
      if (sweep === 60) return undefined
      let g = (d[low + 1]! - d[low]!) / (2 * e[low]!)
      let r = Math.hypot(g, 1)
      g = d[high]! - d[low]! + e[low]! / (g + (g >= 0 ? r : -r))
      let s = 1
      let c = 1
      let p = 0
      let index = high - 1
      let underflow = false
      for (; index >= low; index--) {
        const f = s * e[index]!
        const b = c * e[index]!
        r = Math.hypot(f, g)
        e[index + 1] = r
        if (r === 0) {
          d[index + 1]! -= p
          e[high] = 0
          underflow = true
          break
        }
        s = f / r
        c = g / r
        g = d[index + 1]! - p
        r = (d[index]! - g) * s + 2 * c * b
        p = s * r
        d[index + 1] = g + p
        g = c * r - b
        for (let row = lastRowOnly ? m - 1 : 0; row < m; row++) {
          const base = row * m
          const next = z[base + index + 1]!
          z[base + index + 1] = s * z[base + index]! + c * next
          z[base + index] = c * z[base + index]! - s * next
        }
      }
      if (underflow) continue
      d[low]! -= p
      e[low] = g
      e[high] = 0
    }
  }
  const order = Array.from({length: m}, (_, index) => index).sort((x, y) => d[y]! - d[x]! || x - y)
  const values = Float64Array.from(order, (index) => d[index]!)
  const vectors = new Float64Array(m * m)
  for (let row = 0; row < m; row++) order.forEach((source, column) => (vectors[row * m + column] = z[row * m + source]!))
  return {values, vectors}
}
