import {z} from 'zod'

/** The sentence-embedding backend and its options (pipeline.embedding). */
export const embeddingSchema = z.strictObject({
  backend: z
    .enum(['word-vectors', 'tfidf-svd', 'hybrid', 'transformers', 'endpoint'])
    .describe('word-vectors (offline SIF GloVe), tfidf-svd (offline), hybrid (both side by side, offline), transformers (ONNX via transformers.js) or endpoint (/v1/embeddings)'),
  contextWindow: z.number().int().min(0).max(5).describe('neighbouring sentences of the same turn mixed into each embedding'),
  contextWeight: z.number().min(0).max(4).describe('weight of the neighbours relative to the sentence itself'),
  input: z
    .enum(['auto', 'text', 'terms'])
    .describe('what is embedded: the raw sentence, or its keyword terms (lemmas without stop words, numbers or names); auto: terms for the offline backends, text for transformers and endpoint'),
  contextScope: z.enum(['turn', 'exchange']).describe("where neighbours come from: the sentence's speaker turn, or its Q&A exchange (a question and the turns answering it)"),
  model: z.string().min(1).describe('transformers: a local model folder or a Hugging Face id; endpoint: the model name sent'),
  device: z.enum(['cpu', 'cuda']).describe('transformers: where ONNX Runtime runs the model'),
  dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4']).describe('transformers: which onnx/model*.onnx variant is loaded'),
  allowRemoteModels: z.boolean().describe('transformers: download a hub id that is not in modelCache'),
  modelCache: z.string().describe('transformers: folder of local models and downloads (empty: ~/.cache/ftm/models)'),
  url: z.string().describe('endpoint: base URL of an OpenAI-compatible server, e.g. http://localhost:8000/v1'),
  apiKeyVariable: z.string().describe('endpoint: name of the environment variable that holds the API key (empty: none)'),
  batchSize: z.number().int().positive().max(4096).describe('sentences per model call or request'),
  svdDimensions: z.number().int().min(2).max(512).describe('tfidf-svd: dimensions kept by the truncated SVD'),
})

export type EmbeddingConfig = z.infer<typeof embeddingSchema>

/** Defaults: the offline word-vector backend (chosen by measured quality, see BENCHMARKS.md). */
export const defaultEmbedding: EmbeddingConfig = {
  backend: 'word-vectors',
  contextWindow: 2,
  contextWeight: 1,
  contextScope: 'exchange',
  input: 'auto',
  model: 'Xenova/all-MiniLM-L6-v2',
  device: 'cpu',
  dtype: 'fp32',
  allowRemoteModels: false,
  modelCache: '',
  url: '',
  apiKeyVariable: '',
  batchSize: 64,
  svdDimensions: 100,
}

/** Whether the backend embeds the sentence's keyword terms rather than its raw text. */
export function embedsTerms(configuration: EmbeddingConfig): boolean {
  if (configuration.input !== 'auto') return configuration.input === 'terms'
  return configuration.backend === 'word-vectors' || configuration.backend === 'tfidf-svd' || configuration.backend === 'hybrid'
}
