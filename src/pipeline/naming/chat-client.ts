import pLimit, {type LimitFunction} from 'p-limit'
import {backoffDelay, parseRetryAfter} from './backoff.js'
import {type Clock, systemClock} from '../../base/clock.js'
import {RateLimiter} from './rate-limiter.js'

/** One message of a chat completion. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** What is asked of the server: everything in here is part of the prompt's identity (and its cache key). */
export interface ChatRequest {
  messages: ChatMessage[]
  maxTokens: number
  temperature: number
  /** The OpenAI `response_format` object, when structured output is requested. */
  responseFormat?: Record<string, unknown>
}

/** The first choice of a completion. */
export interface ChatAnswer {
  content: string
  /** 'stop', 'length' (cut off at max_tokens), ... as the server said. */
  finishReason: string | null
}

/**
 * Why a request gave no answer: `unavailable` (429/5xx/timeouts/connection errors beyond the retries),
 * `rejected` (a 4xx that a retry cannot fix, e.g. 401 or an unknown model), `too_long` (the prompt exceeds the
 * model's context: a smaller request may pass).
 */
export type ChatFailure = 'unavailable' | 'rejected' | 'too_long'

/** A request that failed for good. The message never contains the API key. */
export class ChatError extends Error {
  override readonly name = 'ChatError'

  constructor(
    readonly failure: ChatFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

export interface ChatClientOptions {
  /** e.g. http://vllm:8000/v1; `/chat/completions` is appended. */
  baseUrl: string
  model: string
  apiKey?: string
  timeoutMs: number
  retries: number
  backoffMs: number
  concurrency: number
  requestsPerMinute: number
  clock?: Clock
  random?: () => number
}

/** Statuses worth another try: the server is busy, restarting or behind a proxy that timed out. */
const retryableStatuses = new Set([408, 409, 425, 429, 500, 502, 503, 504])
const contextOverflow = /context length|context window|maximum context|too many tokens|prompt is too long|max_tokens/i

/**
 * A client for an OpenAI-compatible chat completions endpoint (vLLM, TGI, llama.cpp, OpenAI) over Node's fetch:
 * bounded concurrency, a requests-per-minute limit, a per-request timeout, retries with exponential backoff and
 * jitter on 429/5xx/timeouts that honour Retry-After.
 */
export class ChatClient {
  /** HTTP requests sent, retries included. */
  requestsSent = 0
  private readonly limit: LimitFunction
  private readonly limiter: RateLimiter
  private readonly clock: Clock
  private readonly url: string

  constructor(private readonly options: ChatClientOptions) {
    this.clock = options.clock ?? systemClock
    this.limit = pLimit(options.concurrency)
    this.limiter = new RateLimiter(options.requestsPerMinute, this.clock)
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`
  }

  /** Sends a chat completion, retrying transient failures; throws ChatError when it gives up, or the signal's reason. */
  async complete(request: ChatRequest, signal?: AbortSignal, retries = this.options.retries): Promise<ChatAnswer> {
    const body = JSON.stringify({
      model: this.options.model,
      messages: request.messages,
      temperature: request.temperature,
      max_tokens: request.maxTokens,
      ...(request.responseFormat ? {response_format: request.responseFormat} : {}),
    })
    let lastProblem = ''
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.limit(async () => {
        await this.limiter.acquire(signal)
        return this.attempt(body, signal)
      })
      if ('answer' in outcome) return outcome.answer
      lastProblem = outcome.problem
      if (attempt >= retries) {
        throw new ChatError('unavailable', this.redact(`${this.url} failed ${attempt + 1} times; last: ${lastProblem}`), outcome.status)
      }
      const wait = Math.max(backoffDelay(attempt, this.options.backoffMs, this.options.random), outcome.retryAfterMs ?? 0)
      await this.clock.sleep(wait, signal)
      signal?.throwIfAborted()
    }
  }

  private async attempt(body: string, signal?: AbortSignal): Promise<{answer: ChatAnswer} | {problem: string; status?: number; retryAfterMs?: number}> {
    signal?.throwIfAborted()
    this.requestsSent++
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), this.options.timeoutMs)
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.options.apiKey ? {authorization: `Bearer ${this.options.apiKey}`} : {}),
        },
        body,
        signal: combined,
      })
      const text = await response.text()
      if (response.ok) return this.readAnswer(text)
      const detail = `HTTP ${response.status}: ${serverMessage(text)}`
      if (retryableStatuses.has(response.status)) {
        return {problem: detail, status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'))}
      }
      if (response.status === 400 && contextOverflow.test(text)) throw new ChatError('too_long', this.redact(detail), 400)
      throw new ChatError('rejected', this.redact(`${this.url} refused the request: ${detail}`), response.status)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (error instanceof ChatError) throw error
      if (timeout.signal.aborted) return {problem: `no answer within ${this.options.timeoutMs} ms`}
      return {problem: `connection failed: ${describeFetchError(error)}`}
    } finally {
      clearTimeout(timer)
    }
  }

  private readAnswer(text: string): {answer: ChatAnswer} | {problem: string} {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return {problem: `HTTP 200 with a body that is not JSON: ${serverMessage(text)}`}
    }
    const choice = (parsed as {choices?: {message?: {content?: unknown}; finish_reason?: unknown}[]}).choices?.[0]
    const content = choice?.message?.content
    if (typeof content !== 'string') return {problem: 'HTTP 200 without choices[0].message.content'}
    const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : null
    return {answer: {content, finishReason}}
  }

  private redact(message: string): string {
    const key = this.options.apiKey
    return key ? message.split(key).join('***') : message
  }
}

function serverMessage(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim()
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed || '(empty body)'
}

function describeFetchError(error: unknown): string {
  const cause = (error as {cause?: {code?: string; message?: string}}).cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}
