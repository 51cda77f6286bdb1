/**
 * Eigenvalues and eigenvectors of a small symmetric matrix (row-major, size × size) by cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching eigenvectors as columns of `vectors` (row-major).
 */
export function symmetricEigen(matrix: Float64Array, size: number): {values: Float64Array; vectors: Float64Array} {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(size * size)
  for (let index = 0; index < size; index++) v[index * size + index] = 1
  for (let sweep = 0; sweep < 60; sweep++) {
    let offDiagonal = 0
    let diagonal = 0
    for (let row = 0; row < size; row++) {
      diagonal += a[row * size + row]! ** 2
      for (let column = row + 1; column < size; column++) offDiagonal += a[row * size + column]! ** 2
    }
    if (offDiagonal <= 1e-22 * Math.max(diagonal, 1e-300)) break
    for (let p = 0; p < size - 1; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q]!
        if (Math.abs(apq) < 1e-300) continue
        const theta = (a[q * size + q]! - a[p * size + p]!) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p]!
          const akq = a[k * size + q]!
          a[k * size + p] = c * akp - s * akq
          a[k * size + q] = s * akp + c * akq
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k]!
          const aqk = a[q * size + k]!
          a[p * size + k] = c * apk - s * aqk
          a[q * size + k] = s * apk + c * aqk
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]!
          const vkq = v[k * size + q]!
          v[k * size + p] = c * vkp - s * vkq
          v[k * size + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const order = Array.from({length: size}, (_, index) => index).sort((x, y) => a[y * size + y]! - a[x * size + x]! || x - y)
  const values = Float64Array.from(order, (index) => a[index * size + index]!)
  const vectors = new Float64Array(size * size)
  for (let row = 0; row < size; row++) order.forEach((source, column) => (vectors[row * size + column] = v[row * size + source]!))
  return {values, vectors}
}
