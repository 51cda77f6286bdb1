import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {defaultEmbedding, type EmbeddingConfig} from '../../../../src/core/config/embedding-schema.js'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {createEmbedder} from '../../../../src/pipeline/embedding/create-embedder.js'
import {EndpointEmbedder} from '../../../../src/pipeline/embedding/endpoint-embedder.js'
import {symmetricEigen} from '../../../../src/pipeline/embedding/symmetric-eigen.js'
import {TfidfSvdEmbedder, tfidfRows} from '../../../../src/pipeline/embedding/tfidf-svd-embedder.js'
import {modelFirm} from '../../../../src/pipeline/model-firm.js'
import {cosineSimilarity} from '../../../../src/pipeline/stages/vectors.js'
import {CsvSource} from '../../../../src/sources/csv-source.js'
import {vocabularyOf, writeTinyModel} from '../../../../fixtures/tiny-model/generate.js'
import {repositoryRoot} from '../../../support/cli.js'
import {FakeEmbeddingsServer} from '../../../../fakes/fake-embeddings-server.js'

const config = (overrides: Partial<EmbeddingConfig>): EmbeddingConfig => ({...defaultEmbedding, ...overrides})
const length = (vector: Float32Array): number => Math.hypot(...vector)
const sentences = ['Revenue growth was strong this quarter.', 'Revenue growth slowed in Europe.', 'Credit quality remains solid across the loan book.', 'Loan losses stayed low and credit quality held.', 'We opened two new data centers.']

describe('endpoint backend against a wire-level /v1/embeddings fake', () => {
  const server = new FakeEmbeddingsServer({apiKey: 'sk-test-secret', maxBatch: 2, shuffle: true})
  beforeAll(async () => void (await server.start()))
  afterAll(async () => server.stop())

  it('batches, sends the model and key, and places answers by index', async () => {
    server.requests.length = 0
    const embedder = new EndpointEmbedder({url: server.url, model: 'bge-small', apiKey: 'sk-test-secret', batchSize: 2})
    const vectors = await embedder.embed(sentences)
    expect(server.requests.map((request) => (request.body.input as string[]).length)).toEqual([2, 2, 1])
    expect(server.requests.every((request) => request.body.model === 'bge-small' && request.authorization === 'Bearer sk-test-secret')).toBe(true)
    expect(vectors).toHaveLength(5)
    expect(embedder.dimensions).toBe(64)
    // The fake answers each batch in reverse; rows must still match their inputs.
    const [single] = await embedder.embed([sentences[1]!])
    expect([...vectors[1]!]).toEqual([...single!])
    expect(cosineSimilarity(vectors[2]!, vectors[3]!)).toBeGreaterThan(cosineSimilarity(vectors[2]!, vectors[4]!))
  })

  it('retries a 503 and then succeeds', async () => {
    server.failNext(503, 'model is loading', 1)
    const embedder = new EndpointEmbedder({url: server.url, model: 'bge-small', apiKey: 'sk-test-secret', batchSize: 2, retryDelayMs: 1})
    expect(await embedder.embed(['one sentence'])).toHaveLength(1)
  })

  it('fails clearly, without the key, when the server refuses', async () => {
    const wrongKey = new EndpointEmbedder({url: server.url, model: 'bge-small', apiKey: 'sk-wrong-secret', batchSize: 2})
    const failure = wrongKey.embed(['x y'])
    await expect(failure).rejects.toThrow(/answered 401 Unauthorized: invalid API key/)
    await expect(wrongKey.embed(['x y'])).rejects.not.toThrow(/sk-wrong-secret/)
    server.failNext(500, 'CUDA out of memory', 3)
    const failing = new EndpointEmbedder({url: server.url, model: 'bge-small', apiKey: 'sk-test-secret', batchSize: 2, retryDelayMs: 1})
    await expect(failing.embed(['x y'])).rejects.toThrow(/answered 500 Internal Server Error: CUDA out of memory/)
  })

  it('fails clearly when the server cannot be reached', async () => {
    const closed = new FakeEmbeddingsServer()
    await closed.start()
    await closed.stop()
    const embedder = new EndpointEmbedder({url: closed.url, model: 'm', batchSize: 8, attempts: 1})
    await expect(embedder.embed(['x y'])).rejects.toThrow(/embedding endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings cannot be reached: ECONNREFUSED/)
  })

  it('runs the whole per-firm model end to end', async () => {
    const source = new CsvSource(path.join(repositoryRoot, 'fixtures', 'sample', 'transcripts.csv'))
    const call = (await source.fetchFirm((await source.listFirms('2024Q1'))[2]!.id, '2024Q1'))!
    const embedding = config({backend: 'endpoint', url: server.url, model: 'bge-small', batchSize: 2})
    const embedder = new EndpointEmbedder({url: server.url, model: 'bge-small', apiKey: 'sk-test-secret', batchSize: 2})
    server.requests.length = 0
    const model = await modelFirm(call, {...defaultConfig.pipeline, embedding}, embedder)
    expect(server.requests.length).toBe(Math.ceil(model.sentences.length / 2))
    expect(model.topics.length).toBeGreaterThan(0)
    for (const topic of model.topics) expect(topic.embedding).toHaveLength(64)
  })

  it('is chosen by configuration, probes the server at load, and rejects a bad URL or a missing key variable', async () => {
    process.env.FTM_TEST_EMBEDDINGS_KEY = 'sk-test-secret'
    const embedder = await createEmbedder(config({backend: 'endpoint', url: server.url, model: 'bge-small', apiKeyVariable: 'FTM_TEST_EMBEDDINGS_KEY'}))
    expect(embedder.dimensions).toBe(64)
    await expect(createEmbedder(config({backend: 'endpoint', url: ''}))).rejects.toMatchObject({name: 'UserError', message: expect.stringMatching(/pipeline\.embedding\.url/)})
    await expect(createEmbedder(config({backend: 'endpoint', url: server.url, apiKeyVariable: 'FTM_TEST_UNSET_VARIABLE'}))).rejects.toMatchObject({name: 'UserError'})
  })
})

describe('transformers backend on a generated tiny ONNX model (no download)', () => {
  let folder = ''
  let call: Awaited<ReturnType<CsvSource['fetchFirm']>>
  beforeAll(async () => {
    folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'ftm-tiny-model-')), 'tiny-encoder')
    const source = new CsvSource(path.join(repositoryRoot, 'fixtures', 'sample', 'transcripts.csv'))
    call = await source.fetchFirm((await source.listFirms('2024Q1'))[0]!.id, '2024Q1')
    writeTinyModel(folder, {words: vocabularyOf([...sentences, ...call!.components.map((component) => component.text)])})
  })
  afterAll(() => rmSync(path.dirname(folder), {recursive: true, force: true}))

  it('loads the folder with remote models disabled and gives unit, batch-independent, deterministic vectors', async () => {
    const embedder = await createEmbedder(config({backend: 'transformers', model: folder, batchSize: 2}))
    expect(embedder.name).toBe(`transformers:${folder}`)
    expect(embedder.dimensions).toBe(32)
    const vectors = await embedder.embed(sentences)
    for (const vector of vectors) expect(length(vector)).toBeCloseTo(1, 5)
    const whole = await (await createEmbedder(config({backend: 'transformers', model: folder, batchSize: 64}))).embed(sentences)
    whole.forEach((vector, index) => [...vector].forEach((value, dimension) => expect(value).toBeCloseTo(vectors[index]![dimension]!, 5)))
    // Mean pooling of word vectors: a sentence is closer to one sharing its words.
    const again = await embedder.embed(['Revenue growth was strong this quarter.'])
    expect([...again[0]!]).toEqual([...vectors[0]!])
  })

  it('runs the whole per-firm model end to end', async () => {
    const embedder = await createEmbedder(config({backend: 'transformers', model: folder}))
    const model = await modelFirm(call!, {...defaultConfig.pipeline, embedding: config({backend: 'transformers', model: folder})}, embedder)
    expect(model.sentences.length).toBeGreaterThan(50)
    expect(model.assignments).toHaveLength(model.sentences.length)
    expect(model.topics.length).toBeGreaterThan(0)
    for (const topic of model.topics) expect(topic.embedding).toHaveLength(32)
  })

  it('refuses a missing model with a hint instead of downloading it', async () => {
    const missing = config({backend: 'transformers', model: 'sentence-transformers/no-such-model', modelCache: path.dirname(folder)})
    await expect(createEmbedder(missing)).rejects.toMatchObject({name: 'UserError', hint: expect.stringMatching(/allowRemoteModels/)})
    await expect(createEmbedder(config({backend: 'transformers', model: path.join(folder, 'absent')}))).rejects.toMatchObject({name: 'UserError'})
  })
})

describe('tfidf-svd backend', () => {
  it("keeps the TF-IDF geometry: with full rank, U·Σ reproduces the rows' inner products", async () => {
    const embeddings = await new TfidfSvdEmbedder(100).embed(sentences)
    const rows = tfidfRows(sentences)
    for (let left = 0; left < sentences.length; left++) {
      for (let right = 0; right < sentences.length; right++) {
        let expected = 0
        for (const [id, weight] of rows[left]!) expected += weight * (rows[right]!.get(id) ?? 0)
        expect(cosineSimilarity(embeddings[left]!, embeddings[right]!) * length(embeddings[left]!) * length(embeddings[right]!)).toBeCloseTo(expected, 5)
      }
    }
  })

  it('follows sklearn: smooth idf, l2 rows, tokens of two or more word characters', () => {
    const [row] = tfidfRows(['a bb bb cc', 'cc dd'])
    // bb: tf 2, idf ln(3/2)+1; cc: tf 1, idf ln(3/3)+1 = 1; "a" is too short.
    const bb = 2 * (Math.log(1.5) + 1)
    expect([...row!.values()].map((value) => +value.toFixed(6))).toEqual([bb / Math.hypot(bb, 1), 1 / Math.hypot(bb, 1)].map((value) => +value.toFixed(6)))
  })

  it('is deterministic and reduces to the requested dimensions', async () => {
    const text = readFileSync(path.join(repositoryRoot, 'fixtures', 'sample', 'transcripts.csv'), 'utf8').split(/(?<=\.)\s+/).slice(0, 150)
    const first = await new TfidfSvdEmbedder(20).embed(text)
    const second = await new TfidfSvdEmbedder(20).embed(text)
    expect(first[0]).toHaveLength(20)
    expect(first.map((vector) => [...vector])).toEqual(second.map((vector) => [...vector]))
  })
})

describe('symmetricEigen', () => {
  it('finds eigenpairs of a symmetric matrix, largest first', () => {
    const {values, vectors} = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3)
    expect([...values].map((value) => +value.toFixed(9))).toEqual([5, 3, 1])
    expect(Math.abs(vectors[2 * 3 + 0]!)).toBeCloseTo(1, 9)
    expect(Math.abs(vectors[0 * 3 + 1]!)).toBeCloseTo(Math.SQRT1_2, 9)
  })
})
