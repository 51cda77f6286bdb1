import type {EmbeddingConfig} from '../../core/config/embedding-schema.js'
import {UserError} from '../../base/errors.js'
import type {Embedder} from './embedder.js'

/** The embedder the configuration selects, loaded once per worker. */
export async function createEmbedder(configuration: EmbeddingConfig): Promise<Embedder> {
  switch (configuration.backend) {
    case 'word-vectors':
      return new (await import('./word-vector-embedder.js')).WordVectorEmbedder()
    case 'tfidf-svd':
      return new (await import('./tfidf-svd-embedder.js')).TfidfSvdEmbedder(configuration.svdDimensions)
    case 'hybrid': {
      const [{WordVectorEmbedder}, {TfidfSvdEmbedder}, {HybridEmbedder}] = await Promise.all([
        import('./word-vector-embedder.js'),
        import('./tfidf-svd-embedder.js'),
        import('./hybrid-embedder.js'),
      ])
      return new HybridEmbedder([new WordVectorEmbedder(), new TfidfSvdEmbedder(configuration.svdDimensions)])
    }
    case 'transformers':
      return (await import('./transformers-embedder.js')).TransformersEmbedder.load(configuration)
    case 'endpoint':
      return createEndpointEmbedder(configuration)
  }
}

/** The endpoint backend: checks the settings, then embeds one probe sentence so a bad server fails at load. */
async function createEndpointEmbedder(configuration: EmbeddingConfig): Promise<Embedder> {
  if (!/^https?:\/\//.test(configuration.url)) {
    throw new UserError(
      `pipeline.embedding.url must be the base URL of an OpenAI-compatible server for the endpoint backend (got "${configuration.url}")`,
      'Set pipeline.embedding.url, e.g. --set pipeline.embedding.url=http://localhost:8000/v1',
    )
  }
  const variable = configuration.apiKeyVariable
  const apiKey = variable ? process.env[variable] : undefined
  if (variable && !apiKey) {
    throw new UserError(`The environment variable ${variable} (pipeline.embedding.apiKeyVariable) is not set`, `Export ${variable} with the endpoint's API key, or set pipeline.embedding.apiKeyVariable to "".`)
  }
  const {EndpointEmbedder} = await import('./endpoint-embedder.js')
  const embedder = new EndpointEmbedder({url: configuration.url, model: configuration.model, apiKey, batchSize: configuration.batchSize})
  await embedder.embed(['probe'])
  return embedder
}
