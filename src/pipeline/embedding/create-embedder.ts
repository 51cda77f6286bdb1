import type {PipelineConfig} from '../../core/config/schema.js'
import type {Embedder} from './embedder.js'

/** The embedder the configuration selects, loaded once per worker. */
export async function createEmbedder(configuration: PipelineConfig['embedding']): Promise<Embedder> {
  switch (configuration.backend) {
    case 'word-vectors':
      return new (await import('./word-vector-embedder.js')).WordVectorEmbedder()
  }
}
