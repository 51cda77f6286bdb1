/** Turns sentences into vectors. Loaded once per worker; called once per firm with all its sentences. */
export interface Embedder {
  readonly name: string
  readonly dimensions: number
  embed(texts: readonly string[]): Promise<Float32Array[]>
}

/**
 * Mixes each sentence's vector with its neighbours in the same speaker turn: sentences alone say little, the turn
 * carries the topic. `groups[i]` is the turn of sentence i; neighbours within `window` positions and the same
 * turn are averaged and added with `weight`. Returns unit vectors.
 */
export function mixContext(vectors: readonly Float32Array[], groups: readonly number[], window: number, weight: number): Float32Array[] {
  if (window === 0 || weight === 0) return vectors.map((vector) => normalize(Float32Array.from(vector)))
  return vectors.map((vector, index) => {
    const mixed = Float32Array.from(vector)
    const neighbours: Float32Array[] = []
    for (let other = index - window; other <= index + window; other++) {
      if (other !== index && other >= 0 && other < vectors.length && groups[other] === groups[index]) neighbours.push(vectors[other]!)
    }
    for (const neighbour of neighbours) {
      for (let dimension = 0; dimension < mixed.length; dimension++) mixed[dimension]! += (weight * neighbour[dimension]!) / neighbours.length
    }
    return normalize(mixed)
  })
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0
  for (const value of vector) sum += value * value
  const norm = Math.sqrt(sum)
  if (norm > 0) for (let index = 0; index < vector.length; index++) vector[index]! /= norm
  return vector
}
