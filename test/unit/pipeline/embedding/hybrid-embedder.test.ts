import {describe, expect, it} from 'vitest'
import type {Embedder} from '../../../../src/pipeline/embedding/embedder.js'
import {HybridEmbedder} from '../../../../src/pipeline/embedding/hybrid-embedder.js'
import {TfidfSvdEmbedder} from '../../../../src/pipeline/embedding/tfidf-svd-embedder.js'

const fixed = (dimensions: number, vector: number[]): Embedder => ({name: 'fixed', dimensions, embed: async (texts) => texts.map(() => Float32Array.from(vector))})

describe('HybridEmbedder', () => {
  it('puts each part, scaled to unit length and by 1/√parts, side by side', async () => {
    const hybrid = new HybridEmbedder([fixed(2, [3, 4]), fixed(1, [-2])])
    expect(hybrid.dimensions).toBe(3)
    const [vector] = await hybrid.embed(['one sentence'])
    const scale = 1 / Math.sqrt(2)
    expect([...vector!].map((value) => Number(value.toFixed(6)))).toEqual([0.6 * scale, 0.8 * scale, -scale].map((value) => Number(value.toFixed(6))))
    expect(Math.hypot(...vector!)).toBeCloseTo(1, 6)
  })

  it('embeds real sentences with a real part, one vector per text', async () => {
    const texts = ['cloud revenue grew', 'cloud margin rose', 'dividend raised again', 'buyback and dividend']
    const hybrid = new HybridEmbedder([new TfidfSvdEmbedder(3), fixed(1, [1])])
    const vectors = await hybrid.embed(texts)
    expect(vectors).toHaveLength(4)
    for (const vector of vectors) expect(Math.hypot(...vector)).toBeCloseTo(1, 5)
  })
})
