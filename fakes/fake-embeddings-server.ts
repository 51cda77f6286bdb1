import {createHash} from 'node:crypto'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

/** One request the fake received. */
export interface EmbeddingsRequest {
  path: string
  authorization?: string
  body: {model?: unknown; input?: unknown; encoding_format?: unknown}
}

/** A scripted failure: the next `times` requests get this status and body. */
export interface ScriptedFailure {
  status: number
  body: string
  times: number
}

/**
 * A wire-level fake of an OpenAI-compatible /v1/embeddings server (as vLLM and TEI serve it) on 127.0.0.1.
 * Each input gets a deterministic bag-of-hashed-words vector, so sentences sharing words are close. It validates
 * the request like the real servers (POST, JSON, `model`, `input` a string or string array, batch limit) and
 * answers errors in OpenAI's `{"error": {...}}` shape.
 */
export class FakeEmbeddingsServer {
  readonly requests: EmbeddingsRequest[] = []
  private readonly failures: ScriptedFailure[] = []
  private server?: Server

  constructor(private readonly options: {dimensions?: number; maxBatch?: number; apiKey?: string; shuffle?: boolean} = {}) {}

  /** The base URL to configure, ending in /v1. */
  url = ''

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.handle(request).then(({status, body}) => {
        response.writeHead(status, {'content-type': 'application/json'})
        response.end(JSON.stringify(body))
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`
    return this
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** Makes the next `times` requests fail with `status`. */
  failNext(status: number, message: string, times = 1): void {
    this.failures.push({status, body: message, times})
  }

  private async handle(request: IncomingMessage): Promise<{status: number; body: unknown}> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const error = (status: number, message: string, type = 'invalid_request_error'): {status: number; body: unknown} => ({status, body: {error: {message, type, code: status}}})
    let body: EmbeddingsRequest['body']
    try {
      body = JSON.parse(text) as EmbeddingsRequest['body']
    } catch {
      return error(400, 'request body is not JSON')
    }
    this.requests.push({path: request.url ?? '', authorization: request.headers.authorization, body})
    const failure = this.failures[0]
    if (failure) {
      if (--failure.times <= 0) this.failures.shift()
      return error(failure.status, failure.body, 'server_error')
    }
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') return error(404, `no route ${request.method} ${request.url}`)
    if (this.options.apiKey && request.headers.authorization !== `Bearer ${this.options.apiKey}`) return error(401, 'invalid API key', 'authentication_error')
    if (typeof body.model !== 'string' || body.model === '') return error(400, 'model is required')
    const inputs = typeof body.input === 'string' ? [body.input] : body.input
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((input) => typeof input === 'string')) return error(400, 'input must be a string or a non-empty array of strings')
    if (inputs.length > (this.options.maxBatch ?? 2048)) return error(400, `batch of ${inputs.length} exceeds the limit of ${this.options.maxBatch}`)
    const data = inputs.map((input, index) => ({object: 'embedding', index, embedding: this.vector(input)}))
    // Real servers may answer out of order; clients must place rows by `index`.
    if (this.options.shuffle) data.reverse()
    const tokens = inputs.reduce((sum, input) => sum + input.split(/\s+/).length, 0)
    return {status: 200, body: {object: 'list', model: body.model, data, usage: {prompt_tokens: tokens, total_tokens: tokens}}}
  }

  /** Hashes each lowercase word to a signed position; unit length. */
  private vector(text: string): number[] {
    const dimensions = this.options.dimensions ?? 64
    const vector = new Array<number>(dimensions).fill(0)
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
      const digest = createHash('sha256').update(word).digest()
      vector[digest.readUInt32BE(0) % dimensions]! += digest[4]! & 1 ? 1 : -1
    }
    const norm = Math.hypot(...vector) || 1
    return vector.map((value) => value / norm)
  }
}
