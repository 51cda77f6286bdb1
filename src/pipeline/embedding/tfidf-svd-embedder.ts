import {seededRandom} from '../stages/random.js'
import type {Embedder} from './embedder.js'
import {symmetricEigen} from './symmetric-eigen.js'

/** Oversampling and power iterations of the randomized range finder (Halko et al.), as TruncatedSVD's defaults. */
const oversampling = 10
const powerIterations = 5

/**
 * BERTopic's fallback embedding: TfidfVectorizer (sklearn defaults: tokens of two or more word characters, smooth
 * idf, l2 rows) fitted on the firm's own sentences, then a truncated SVD to `dimensions` (the rows of U·Σ).
 * Offline and model-free; the vocabulary is the firm's, so it knows jargon that word vectors miss.
 */
export class TfidfSvdEmbedder implements Embedder {
  readonly name = 'tfidf-svd'

  constructor(readonly dimensions = 100) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const rows = tfidfRows(texts)
    const count = rows.length
    const rank = Math.min(this.dimensions, count)
    const gram = gramMatrix(rows)
    const basis = topEigenvectors(gram, count, rank)
    return Array.from({length: count}, (_, row) => {
      const embedding = new Float32Array(this.dimensions)
      for (let column = 0; column < rank; column++) embedding[column] = basis.vectors[row * rank + column]! * Math.sqrt(Math.max(0, basis.values[column]!))
      return embedding
    })
  }
}

/** Sparse l2-normalised TF-IDF rows (term id → weight) with sklearn's smooth idf: ln((1 + n) / (1 + df)) + 1. */
export function tfidfRows(texts: readonly string[]): Map<number, number>[] {
  const vocabulary = new Map<string, number>()
  const counts = texts.map((text) => {
    const row = new Map<number, number>()
    for (const token of text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? []) {
      let id = vocabulary.get(token)
      if (id === undefined) vocabulary.set(token, (id = vocabulary.size))
      row.set(id, (row.get(id) ?? 0) + 1)
    }
    return row
  })
  const documentFrequency = new Float64Array(vocabulary.size)
  for (const row of counts) for (const id of row.keys()) documentFrequency[id]!++
  return counts.map((row) => {
    const weighted = new Map<number, number>()
    let norm = 0
    for (const [id, count] of row) {
      const weight = count * (Math.log((1 + texts.length) / (1 + documentFrequency[id]!)) + 1)
      weighted.set(id, weight)
      norm += weight * weight
    }
    norm = Math.sqrt(norm)
    if (norm > 0) for (const [id, weight] of weighted) weighted.set(id, weight / norm)
    return weighted
  })
}

/** X·Xᵀ of sparse rows, dense and row-major. */
function gramMatrix(rows: readonly Map<number, number>[]): Float64Array {
  const count = rows.length
  const gram = new Float64Array(count * count)
  for (let left = 0; left < count; left++) {
    for (let right = left; right < count; right++) {
      const [small, large] = rows[left]!.size <= rows[right]!.size ? [rows[left]!, rows[right]!] : [rows[right]!, rows[left]!]
      let dot = 0
      for (const [id, weight] of small) {
        const other = large.get(id)
        if (other !== undefined) dot += weight * other
      }
      gram[left * count + right] = dot
      gram[right * count + left] = dot
    }
  }
  return gram
}

/**
 * The `rank` leading eigenpairs of a symmetric positive semi-definite matrix: seeded randomized subspace iteration,
 * then an exact eigen-decomposition of the projected matrix. Vectors come back row-major, count × rank.
 */
function topEigenvectors(matrix: Float64Array, count: number, rank: number): {values: Float64Array; vectors: Float64Array} {
  const width = Math.min(count, rank + oversampling)
  const random = seededRandom(0)
  let subspace: Float64Array = Float64Array.from({length: count * width}, () => random() * 2 - 1)
  for (let iteration = 0; iteration <= powerIterations; iteration++) subspace = orthonormalize(multiply(matrix, subspace, count, width), count, width)
  // T = Qᵀ M Q, small and symmetric.
  const projected = multiply(matrix, subspace, count, width)
  const small = new Float64Array(width * width)
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      let sum = 0
      for (let row = 0; row < count; row++) sum += subspace[row * width + i]! * projected[row * width + j]!
      small[i * width + j] = sum
    }
  }
  for (let i = 0; i < width; i++) for (let j = i + 1; j < width; j++) small[i * width + j] = small[j * width + i] = (small[i * width + j]! + small[j * width + i]!) / 2
  const eigen = symmetricEigen(small, width)
  const vectors = new Float64Array(count * rank)
  for (let row = 0; row < count; row++) {
    for (let column = 0; column < rank; column++) {
      let sum = 0
      for (let k = 0; k < width; k++) sum += subspace[row * width + k]! * eigen.vectors[k * width + column]!
      vectors[row * rank + column] = sum
    }
  }
  // Fix each vector's sign (largest entry positive) so the output does not depend on the solver's choices.
  for (let column = 0; column < rank; column++) {
    let largest = 0
    for (let row = 0; row < count; row++) if (Math.abs(vectors[row * rank + column]!) > Math.abs(largest)) largest = vectors[row * rank + column]!
    if (largest < 0) for (let row = 0; row < count; row++) vectors[row * rank + column] = -vectors[row * rank + column]!
  }
  return {values: eigen.values.slice(0, rank), vectors}
}

/** M (count × count) times Q (count × width), row-major. */
function multiply(matrix: Float64Array, subspace: Float64Array, count: number, width: number): Float64Array {
  const result = new Float64Array(count * width)
  for (let row = 0; row < count; row++) {
    for (let k = 0; k < count; k++) {
      const value = matrix[row * count + k]!
      if (value === 0) continue
      for (let column = 0; column < width; column++) result[row * width + column]! += value * subspace[k * width + column]!
    }
  }
  return result
}

/** Modified Gram–Schmidt on the columns of a count × width matrix; a vanishing column becomes zero. */
function orthonormalize(matrix: Float64Array, count: number, width: number): Float64Array {
  for (let column = 0; column < width; column++) {
    for (let previous = 0; previous < column; previous++) {
      let dot = 0
      for (let row = 0; row < count; row++) dot += matrix[row * width + column]! * matrix[row * width + previous]!
      for (let row = 0; row < count; row++) matrix[row * width + column]! -= dot * matrix[row * width + previous]!
    }
    let norm = 0
    for (let row = 0; row < count; row++) norm += matrix[row * width + column]! ** 2
    norm = Math.sqrt(norm)
    for (let row = 0; row < count; row++) matrix[row * width + column] = norm > 1e-12 ? matrix[row * width + column]! / norm : 0
  }
  return matrix
}
