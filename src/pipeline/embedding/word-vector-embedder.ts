import type {Embedder} from './embedder.js'
import {loadWordVectors, type WordVectors} from './word-vector-asset.js'

/** SIF's smoothing constant: a word of probability p weighs a / (a + p). */
const sifSmoothing = 1e-3

/**
 * The offline default: the SIF-weighted average of a sentence's GloVe word vectors (Arora et al. 2017), with the
 * firm's common component removed. Needs nothing downloaded at run time.
 */
export class WordVectorEmbedder implements Embedder {
  readonly name = 'word-vectors'
  readonly dimensions: number
  private readonly weights: Float32Array

  constructor(private readonly wordVectors: WordVectors = loadWordVectors()) {
    this.dimensions = wordVectors.dimensions
    // Word frequencies are not shipped; GloVe's vocabulary is in frequency order, so Zipf's law estimates them.
    const harmonic = Math.log(wordVectors.words.length) + 0.5772
    this.weights = Float32Array.from(wordVectors.words, (_, row) => sifSmoothing / (sifSmoothing + 1 / ((row + 1) * harmonic)))
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const embeddings = texts.map((text) => this.average(text))
    removeCommonComponent(embeddings)
    return embeddings
  }

  private average(text: string): Float32Array {
    const {dimensions, vectors, rows} = this.wordVectors
    const sum = new Float32Array(dimensions)
    let count = 0
    for (const word of text.toLowerCase().match(/[a-z][a-z'-]*/g) ?? []) {
      const row = rows.get(word)
      if (row === undefined) continue
      const weight = this.weights[row]!
      const offset = row * dimensions
      for (let dimension = 0; dimension < dimensions; dimension++) sum[dimension]! += weight * vectors[offset + dimension]!
      count++
    }
    if (count > 0) for (let dimension = 0; dimension < dimensions; dimension++) sum[dimension]! /= count
    return sum
  }
}

/** Subtracts every vector's projection on the set's first principal direction (power iteration), as SIF does. */
export function removeCommonComponent(vectors: Float32Array[]): void {
  if (vectors.length < 2) return
  const dimensions = vectors[0]!.length
  let direction = new Float64Array(dimensions).fill(1 / Math.sqrt(dimensions))
  for (let iteration = 0; iteration < 30; iteration++) {
    const next = new Float64Array(dimensions)
    for (const vector of vectors) {
      let projection = 0
      for (let dimension = 0; dimension < dimensions; dimension++) projection += vector[dimension]! * direction[dimension]!
      for (let dimension = 0; dimension < dimensions; dimension++) next[dimension]! += projection * vector[dimension]!
    }
    const norm = Math.hypot(...next)
    if (norm === 0) return
    for (let dimension = 0; dimension < dimensions; dimension++) next[dimension]! /= norm
    direction = next
  }
  for (const vector of vectors) {
    let projection = 0
    for (let dimension = 0; dimension < dimensions; dimension++) projection += vector[dimension]! * direction[dimension]!
    for (let dimension = 0; dimension < dimensions; dimension++) vector[dimension]! -= projection * direction[dimension]!
  }
}
