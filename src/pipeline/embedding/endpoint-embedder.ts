import {setTimeout as sleep} from 'node:timers/promises'
import type {Embedder} from './embedder.js'

/** How the endpoint backend reaches its server. */
export interface EndpointOptions {
  /** Base URL ending before /embeddings, e.g. http://localhost:8000/v1. */
  url: string
  model: string
  /** Sent as a bearer token when set; never logged. */
  apiKey?: string
  batchSize: number
  /** Attempts per batch for network errors, 429 and 5xx answers. */
  attempts?: number
  retryDelayMs?: number
}

/** An OpenAI-compatible /v1/embeddings server (vLLM, TEI, OpenAI): one POST per batch of sentences. */
export class EndpointEmbedder implements Embedder {
  readonly name: string
  private width = 0
  private readonly endpoint: string

  constructor(private readonly options: EndpointOptions) {
    this.name = `endpoint:${options.model}`
    this.endpoint = `${options.url.replace(/\/+$/, '')}/embeddings`
  }

  get dimensions(): number {
    return this.width
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const result: Float32Array[] = []
    for (let start = 0; start < texts.length; start += this.options.batchSize) {
      result.push(...(await this.embedBatch(texts.slice(start, start + this.options.batchSize))))
    }
    return result
  }

  private async embedBatch(input: readonly string[]): Promise<Float32Array[]> {
    const attempts = this.options.attempts ?? 3
    for (let attempt = 1; ; attempt++) {
      try {
        return this.parse(await this.post(input), input.length)
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= attempts) throw error instanceof RetryableError ? new Error(error.message) : error
        await sleep((this.options.retryDelayMs ?? 500) * attempt)
      }
    }
  }

  private async post(input: readonly string[]): Promise<unknown> {
    const headers: Record<string, string> = {'content-type': 'application/json'}
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`
    let response: Response
    try {
      response = await fetch(this.endpoint, {method: 'POST', headers, body: JSON.stringify({model: this.options.model, input, encoding_format: 'float'})})
    } catch (error) {
      const cause = (error as {cause?: {code?: string; message?: string}}).cause
      throw new RetryableError(`embedding endpoint ${this.endpoint} cannot be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`)
    }
    const body = await response.text()
    if (!response.ok) {
      const message = `embedding endpoint ${this.endpoint} answered ${response.status} ${response.statusText}: ${describeError(body)}`
      if (response.status === 429 || response.status >= 500) throw new RetryableError(message)
      throw new Error(message)
    }
    try {
      return JSON.parse(body) as unknown
    } catch {
      throw new Error(`embedding endpoint ${this.endpoint} answered with invalid JSON: ${body.slice(0, 200)}`)
    }
  }

  /** Checks the answer's shape: one finite vector per input, all of one width, placed by `index`. */
  private parse(answer: unknown, expected: number): Float32Array[] {
    const data = (answer as {data?: unknown})?.data
    if (!Array.isArray(data) || data.length !== expected) {
      throw new Error(`embedding endpoint ${this.endpoint} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${expected} inputs`)
    }
    const vectors: Float32Array[] = Array.from({length: expected})
    data.forEach((item: {index?: unknown; embedding?: unknown}, position) => {
      const index = typeof item.index === 'number' ? item.index : position
      const embedding = item.embedding
      if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((value) => typeof value === 'number' && Number.isFinite(value))) {
        throw new Error(`embedding endpoint ${this.endpoint} returned a malformed embedding (use encoding_format float)`)
      }
      if (this.width === 0) this.width = embedding.length
      if (embedding.length !== this.width) throw new Error(`embedding endpoint ${this.endpoint} returned vectors of ${embedding.length} and ${this.width} dimensions`)
      if (index < 0 || index >= expected || vectors[index]) throw new Error(`embedding endpoint ${this.endpoint} returned a bad index ${index}`)
      vectors[index] = Float32Array.from(embedding as number[])
    })
    return vectors
  }
}

class RetryableError extends Error {}

/** The server's error message (OpenAI shape or plain text), short. */
function describeError(body: string): string {
  try {
    const parsed = JSON.parse(body) as {error?: {message?: string} | string; message?: string; detail?: string}
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message ?? parsed.detail)
    if (message) return String(message).slice(0, 300)
  } catch {
    // Not JSON: use the text.
  }
  return body.slice(0, 300) || '(empty body)'
}
