import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {defaultConfig, type PipelineConfig} from '../../../src/core/config/schema.js'
import {TfidfSvdEmbedder} from '../../../src/pipeline/embedding/tfidf-svd-embedder.js'
import {WordVectorEmbedder} from '../../../src/pipeline/embedding/word-vector-embedder.js'
import {type FirmModel, modelFirm} from '../../../src/pipeline/model-firm.js'
import {preprocess} from '../../../src/pipeline/stages/preprocess.js'
import {CsvSource} from '../../../src/sources/csv-source.js'
import type {FirmTranscript} from '../../../src/sources/transcript-source.js'
import {repositoryRoot} from '../../support/cli.js'

/** Every output of a model as bytes: assignments, probabilities and topics with their float embeddings. */
function serialize(model: FirmModel): string {
  const bytes = (array: ArrayBufferView): string => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64')
  return JSON.stringify({
    sentences: model.sentences,
    assignments: bytes(model.assignments),
    probabilities: bytes(model.probabilities),
    topics: model.topics.map((topic) => ({...topic, keywordScores: bytes(Float64Array.from(topic.keywordScores)), embedding: bytes(topic.embedding)})),
  })
}

let call: FirmTranscript
beforeAll(async () => {
  const source = new CsvSource(path.join(repositoryRoot, 'fixtures', 'sample', 'transcripts.csv'))
  call = (await source.fetchFirm((await source.listFirms('2024Q1'))[1]!.id, '2024Q1'))!
})

describe('determinism', () => {
  const withOptions = (pipeline: Partial<PipelineConfig>): PipelineConfig => ({...defaultConfig.pipeline, ...pipeline})

  it('gives byte-identical topics and assignments for the same input, config and seed (fresh embedders)', async () => {
    const first = serialize(await modelFirm(call, defaultConfig.pipeline, new WordVectorEmbedder()))
    const second = serialize(await modelFirm(call, defaultConfig.pipeline, new WordVectorEmbedder()))
    expect(second).toBe(first)
    const diverse = withOptions({keywords: {...defaultConfig.pipeline.keywords, diversity: 0.5, bm25Weighting: true, reduceFrequentWords: true}, embedding: {...defaultConfig.pipeline.embedding, backend: 'tfidf-svd'}})
    const third = serialize(await modelFirm(call, diverse, new TfidfSvdEmbedder()))
    expect(serialize(await modelFirm(call, diverse, new TfidfSvdEmbedder()))).toBe(third)
  })

  it('depends on the seed (so the comparison above can fail)', async () => {
    const embedder = new WordVectorEmbedder()
    const reseeded = withOptions({umap: {...defaultConfig.pipeline.umap, seed: 7}})
    const a = await modelFirm(call, defaultConfig.pipeline, embedder)
    const b = await modelFirm(call, reseeded, embedder)
    expect(serialize(b)).not.toBe(serialize(a))
  })
})

describe('spectral clustering (pipeline.clustering: spectral)', () => {
  const spectral: PipelineConfig = {...defaultConfig.pipeline, clustering: 'spectral', smoothWindow: 0}

  it('puts every sentence in a topic, skips UMAP, and gives the same bytes for the same input', async () => {
    const embedder = new TfidfSvdEmbedder()
    const model = await modelFirm(call, spectral, embedder)
    expect([...model.assignments].every((topic) => topic >= 0)).toBe(true)
    expect(model.topics.length).toBeGreaterThanOrEqual(2)
    expect(model.timings.reduce).toBe(0)
    expect(serialize(await modelFirm(call, spectral, embedder))).toBe(serialize(model))
  })

  it('never crashes on small inputs', async () => {
    const embedder = new WordVectorEmbedder()
    const pool = preprocess(call, spectral).map((sentence) => sentence.text)
    for (const count of [1, 2, 3, 5, 8, 12, 20]) {
      const small: FirmTranscript = {...call, components: pool.slice(0, count).map((text, componentOrder) => ({componentOrder, text, speakerType: 'Executives'}))}
      const model = await modelFirm(small, {...spectral, minSentences: 1}, embedder)
      expect(model.assignments).toHaveLength(count)
      expect([...model.assignments].every((topic) => topic >= 0)).toBe(true)
    }
  })
})

describe('small inputs', () => {
  it('never crash: below minClusterSize everything is an outlier, above it topics respect the minimum size', async () => {
    const embedder = new WordVectorEmbedder()
    const pool = preprocess(call, defaultConfig.pipeline).map((sentence) => sentence.text)
    const pipeline: PipelineConfig = {...defaultConfig.pipeline, minSentences: 1}
    for (const count of [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 16, 20, 30]) {
      const small: FirmTranscript = {...call, components: pool.slice(0, count).map((text, componentOrder) => ({componentOrder, text, speakerType: 'Executives'}))}
      const model = await modelFirm(small, pipeline, embedder)
      expect(model.sentences).toHaveLength(count)
      expect(model.assignments).toHaveLength(count)
      if (count < pipeline.hdbscan.minClusterSize) expect([...model.assignments].every((topic) => topic === -1)).toBe(true)
      for (const topic of model.topics) expect(topic.size).toBeGreaterThanOrEqual(pipeline.hdbscan.minClusterSize)
      for (const probability of model.probabilities) expect(Number.isFinite(probability)).toBe(true)
    }
  })

  it('fails a firm under minSentences with too_few_sentences rather than modeling noise', async () => {
    const short: FirmTranscript = {...call, components: call.components.slice(0, 1)}
    await expect(modelFirm(short, defaultConfig.pipeline, new WordVectorEmbedder())).rejects.toMatchObject({kind: 'too_few_sentences'})
  })
})
