// Trustworthiness of an embedding (Venna & Kaski 2001; scikit-learn's sklearn.manifold.trustworthiness): how far
// the points that became k nearest neighbours in the embedding were from each other in the input space.

/**
 * T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uₖ(i)} (r(i, j) − k), where Uₖ(i) are the embedding's k nearest
 * neighbours of i that are not among its k nearest in the input and r(i, j) is j's rank among i's input neighbours
 * (1 = nearest). 1 means every embedding neighbourhood was an input neighbourhood. Needs k < n / 2.
 * `inputDistance` and `outputDistance` give the distance between points i and j in either space.
 */
export function trustworthiness(
  n: number,
  k: number,
  inputDistance: (i: number, j: number) => number,
  outputDistance: (i: number, j: number) => number,
): number {
  if (!(k >= 1 && k < n / 2)) throw new Error(`trustworthiness: k must be at least 1 and below n / 2 (n = ${n}), got ${k}`)
  const order = new Int32Array(n - 1)
  const rank = new Int32Array(n)
  const distances = new Float64Array(n)
  let penalty = 0
  for (let point = 0; point < n; point++) {
    rankOthers(n, point, inputDistance, order, distances)
    order.forEach((other, position) => (rank[other] = position + 1))
    rankOthers(n, point, outputDistance, order, distances)
    for (let position = 0; position < k; position++) {
      const inputRank = rank[order[position]!]!
      if (inputRank > k) penalty += inputRank - k
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty
}

/** Fills `order` with every point but `point`, nearest first (ties to the lower index). */
function rankOthers(n: number, point: number, distance: (i: number, j: number) => number, order: Int32Array, distances: Float64Array): void {
  for (let other = 0; other < n; other++) distances[other] = other === point ? -Infinity : distance(point, other)
  let slot = 0
  for (let other = 0; other < n; other++) if (other !== point) order[slot++] = other
  order.sort((a, b) => distances[a]! - distances[b]! || a - b)
}
