import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {FirmModel, FirmTopic} from '../src/pipeline/model-firm.js'
import {keywordLabel} from '../src/pipeline/stages/keyword-label.js'
import type {PreparedSentence} from '../src/pipeline/stages/preprocess.js'

/**
 * How the fake answers one request:
 * good (labels for every topic asked), slow (good after `slowMs`), rate-limit (429 + Retry-After),
 * server-error (500), unavailable (503 + Retry-After), timeout (never answers), malformed (200, content that is
 * not JSON), bad-body (200, a body that is not JSON), truncated (finish_reason length), wrong-ids (labels for
 * other topics), context-overflow (vLLM's 400 for a prompt beyond the context), unauthorized (401).
 */
export type ChatBehaviour =
  | 'good'
  | 'slow'
  | 'rate-limit'
  | 'server-error'
  | 'unavailable'
  | 'timeout'
  | 'malformed'
  | 'bad-body'
  | 'truncated'
  | 'wrong-ids'
  | 'context-overflow'
  | 'unauthorized'

/** A request as the fake received it. */
export interface ReceivedRequest {
  index: number
  path: string
  authorization?: string
  body: ChatBody
  /** Topic ids and keywords found in the prompt (the format of src/pipeline/naming/prompt.ts). */
  topics: {topicId: number; keywords: string[]}[]
  behaviour: ChatBehaviour
  receivedAt: number
}

interface ChatBody {
  model: string
  messages: {role: string; content: string}[]
  max_tokens?: number
  temperature?: number
  response_format?: {type: string; json_schema?: {name: string; schema: unknown}}
}

export interface FakeChatOptions {
  /** The model name the server serves; other names get vLLM's 404. */
  model?: string
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string
  /** Latency of every answer in ms (the benchmark's fixed latency). */
  latencyMs?: number
  /** Extra delay of `slow` answers. */
  slowMs?: number
  /** The Retry-After header sent with 429 and 503 (seconds or an HTTP date); '' sends none. */
  retryAfter?: string
  /** Chooses the behaviour of each request; default: scripted behaviours first, then `good`. */
  decide?: (request: Omit<ReceivedRequest, 'behaviour'>) => ChatBehaviour
}

/** The label the fake gives a topic: its first two keywords, title-cased, e.g. "Supply Chain & Freight". */
export function fakeLabel(keywords: readonly string[]): string {
  const titled = keywords.slice(0, 2).map((keyword) => keyword.replace(/\b\w/g, (letter) => letter.toUpperCase()))
  return titled.length > 0 ? titled.join(' & ') : 'Untitled'
}

/** A wire-level OpenAI-compatible chat completions server on 127.0.0.1 for tests and benchmarks. */
export class FakeChatServer {
  readonly received: ReceivedRequest[] = []
  private readonly script: ChatBehaviour[] = []
  private inFlight = 0
  /** The most requests the fake held at the same time. */
  maxInFlight = 0

  private constructor(
    private readonly server: Server,
    private readonly options: FakeChatOptions,
  ) {}

  /** Starts a fake on a free port. */
  static async start(options: FakeChatOptions = {}): Promise<FakeChatServer> {
    const server = createServer()
    const fake = new FakeChatServer(server, options)
    server.on('request', (request, response) => void fake.handle(request, response))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return fake
  }

  /** The base URL to configure (llm.baseUrl), ending in /v1. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`
  }

  /** Chat completion requests received. */
  get requestCount(): number {
    return this.received.length
  }

  /** Queues behaviours for the next requests, in order; after them requests are answered by `decide` or well. */
  push(...behaviours: ChatBehaviour[]): void {
    this.script.push(...behaviours)
  }

  /** Stops the server and drops any request it holds. */
  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      sendError(response, 404, `no route ${request.method} ${request.url}`, 'NotFoundError')
      return
    }
    let body: ChatBody
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody
      if (typeof body.model !== 'string' || !Array.isArray(body.messages)) throw new Error('model and messages are required')
    } catch (error) {
      sendError(response, 400, `invalid request: ${(error as Error).message}`, 'BadRequestError')
      return
    }
    const prompt = body.messages.find((message) => message.role === 'user')?.content ?? ''
    const base = {
      index: this.received.length,
      path: request.url,
      authorization: request.headers.authorization,
      body,
      topics: [...prompt.matchAll(/^Topic (\d+)\nKeywords: (.*)$/gm)].map((match) => ({topicId: Number(match[1]), keywords: match[2]!.split(', ')})),
      receivedAt: performance.now(),
    }
    let behaviour = this.script.shift() ?? this.options.decide?.(base) ?? 'good'
    if (this.options.apiKey && request.headers.authorization !== `Bearer ${this.options.apiKey}`) behaviour = 'unauthorized'
    const received: ReceivedRequest = {...base, behaviour}
    this.received.push(received)
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    response.on('close', () => this.inFlight--)
    if (behaviour === 'timeout') return // holds the connection until the client gives up
    await delay((this.options.latencyMs ?? 0) + (behaviour === 'slow' ? (this.options.slowMs ?? 500) : 0))
    if (this.options.model && body.model !== this.options.model && behaviour !== 'unauthorized') {
      sendError(response, 404, `The model \`${body.model}\` does not exist.`, 'NotFoundError')
      return
    }
    this.answer(received, response)
  }

  private answer(request: ReceivedRequest, response: ServerResponse): void {
    const retryAfter = this.options.retryAfter ?? '1'
    const labels = (ids: number[]): string =>
      JSON.stringify({topics: ids.map((id) => ({id, label: fakeLabel(request.topics.find((topic) => topic.topicId === id)?.keywords ?? [])}))})
    const ids = request.topics.map((topic) => topic.topicId)
    switch (request.behaviour) {
      case 'good':
      case 'slow':
        return sendCompletion(response, request.body.model, labels(ids), 'stop')
      case 'wrong-ids':
        return sendCompletion(response, request.body.model, labels(ids.map((id) => id + 1000)), 'stop')
      case 'truncated':
        return sendCompletion(response, request.body.model, labels(ids).slice(0, 25), 'length')
      case 'malformed':
        return sendCompletion(response, request.body.model, `Sure! Here are labels for topics ${ids.join(', ')}: supply chain, pricing...`, 'stop')
      case 'bad-body':
        response.writeHead(200, {'content-type': 'text/html'}).end('<html><body>502 Bad Gateway</body></html>')
        return
      case 'rate-limit':
        return sendError(response, 429, 'Too many requests', 'RateLimitError', retryAfter)
      case 'unavailable':
        return sendError(response, 503, 'The server is loading the model', 'ServiceUnavailableError', retryAfter)
      case 'server-error':
        return sendError(response, 500, 'Internal server error', 'InternalServerError')
      case 'context-overflow':
        return sendError(
          response,
          400,
          "This model's maximum context length is 4096 tokens. However, you requested 9000 tokens (8000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
          'BadRequestError',
        )
      case 'unauthorized':
        return sendError(response, 401, 'Unauthorized', 'AuthenticationError')
      case 'timeout':
        return
    }
  }
}

function sendCompletion(response: ServerResponse, model: string, content: string, finishReason: string): void {
  const body = {
    id: `chatcmpl-${Math.random().toString(16).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{index: 0, message: {role: 'assistant', content}, finish_reason: finishReason, logprobs: null}],
    usage: {prompt_tokens: 100, completion_tokens: Math.ceil(content.length / 4), total_tokens: 100 + Math.ceil(content.length / 4)},
  }
  response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(body))
}

/** An error in vLLM's shape. */
function sendError(response: ServerResponse, status: number, message: string, type: string, retryAfter?: string): void {
  const headers: Record<string, string> = {'content-type': 'application/json'}
  if (retryAfter) headers['retry-after'] = retryAfter
  response.writeHead(status, headers).end(JSON.stringify({object: 'error', message, type, param: null, code: status}))
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}

/**
 * A firm model with `count` topics whose keywords and sentences are distinct per topic, for naming tests and the
 * naming benchmark (naming reads only topics and sentences).
 */
export function firmModelWithTopics(count: number, seed = 0): FirmModel {
  const words = ['freight', 'pricing', 'margin', 'cloud', 'tariff', 'inventory', 'hiring', 'dividend', 'capex', 'demand', 'backlog', 'churn']
  const sentences: PreparedSentence[] = []
  const topics: FirmTopic[] = Array.from({length: count}, (_, topicId) => {
    const first = words[(topicId + seed) % words.length]!
    const second = words[(topicId * 5 + seed + 1) % words.length]!
    const keywords = [`${first} ${topicId}`, `${second} outlook`, first, 'quarter']
    const representativeSentences = [0, 1, 2].map((offset) => {
      const index = sentences.length
      sentences.push({
        index,
        componentOrder: topicId,
        sentenceInComponent: offset,
        speakerType: 'Executives',
        text: `In topic ${topicId} we discussed ${first} and ${second}, sentence ${offset} of firm ${seed}.`,
        terms: [first, second],
        followsPrevious: [false, false],
      })
      return index
    })
    return {topicId, label: keywordLabel(keywords), labelSource: 'keywords', keywords, keywordScores: keywords.map(() => 1), size: 3, representativeSentences, embedding: new Float32Array(4)}
  })
  const timings = {preprocess: 0, embed: 0, reduce: 0, cluster: 0, keywords: 0, label: 0}
  return {sentences, assignments: new Int32Array(sentences.length), clusterAssignments: new Int32Array(sentences.length), outlierSimilarities: new Float64Array(sentences.length).fill(Number.NaN), probabilities: new Float64Array(sentences.length), topics, timings}
}
