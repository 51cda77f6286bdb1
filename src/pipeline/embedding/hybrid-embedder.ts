import {type Embedder, normalize} from './embedder.js'

/**
 * Two offline embeddings side by side: each sentence's unit word-vector embedding (meaning) next to its unit
 * TF-IDF + SVD embedding (the firm's own vocabulary), each scaled by 1/√2 so the whole stays unit length.
 */
export class HybridEmbedder implements Embedder {
  readonly name = 'hybrid'
  readonly dimensions: number

  constructor(private readonly parts: readonly Embedder[]) {
    this.dimensions = parts.reduce((sum, part) => sum + part.dimensions, 0)
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const embedded = await Promise.all(this.parts.map((part) => part.embed(texts)))
    const scale = 1 / Math.sqrt(this.parts.length)
    return texts.map((_, index) => {
      const joined = new Float32Array(embedded.reduce((sum, part) => sum + part[index]!.length, 0))
      let offset = 0
      for (const part of embedded) {
        const unit = normalize(Float32Array.from(part[index]!))
        joined.set(unit.map((value) => value * scale), offset)
        offset += unit.length
      }
      return joined
    })
  }
}
