import {afterEach, describe, expect, it} from 'vitest'
import {ChatClient, type ChatClientOptions, ChatError, type ChatRequest} from '../../../../src/pipeline/naming/chat-client.js'
import type {Clock} from '../../../../src/base/clock.js'
import {FakeChatServer} from '../../../../fakes/fake-chat-server.js'

/** A clock whose sleeps return at once and are recorded, so retry waits are checked without waiting. */
function recordingClock(): Clock & {sleeps: number[]} {
  let time = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms)
      time += ms
    },
  }
}

const request: ChatRequest = {
  messages: [
    {role: 'system', content: 'Name topics.'},
    {role: 'user', content: 'Topic 0\nKeywords: supply chain, freight\n\nTopic 1\nKeywords: cloud, revenue'},
  ],
  maxTokens: 100,
  temperature: 0,
}

describe('ChatClient against a wire-level fake', () => {
  let fake: FakeChatServer
  afterEach(async () => fake?.close())

  const client = (options: Partial<ChatClientOptions> = {}): ChatClient =>
    new ChatClient({baseUrl: fake.url, model: 'm', timeoutMs: 5000, retries: 3, backoffMs: 100, concurrency: 4, requestsPerMinute: 0, ...options})

  it('sends an OpenAI chat completion and reads the first choice', async () => {
    fake = await FakeChatServer.start({model: 'm', apiKey: 'sk-test-123'})
    const answer = await client({apiKey: 'sk-test-123', clock: recordingClock()}).complete({...request, responseFormat: {type: 'json_object'}})
    expect(answer.finishReason).toBe('stop')
    expect(JSON.parse(answer.content)).toEqual({topics: [{id: 0, label: 'Supply Chain & Freight'}, {id: 1, label: 'Cloud & Revenue'}]})
    const received = fake.received[0]!
    expect(received.authorization).toBe('Bearer sk-test-123')
    expect(received.body).toMatchObject({model: 'm', max_tokens: 100, temperature: 0, response_format: {type: 'json_object'}})
  })

  it('retries a 429 after the Retry-After the server asks for, even when backoff is shorter', async () => {
    fake = await FakeChatServer.start({retryAfter: '3'})
    fake.push('rate-limit', 'rate-limit')
    const clock = recordingClock()
    const answer = await client({clock, backoffMs: 10}).complete(request)
    expect(answer.finishReason).toBe('stop')
    expect(fake.received.map((received) => received.behaviour)).toEqual(['rate-limit', 'rate-limit', 'good'])
    expect(clock.sleeps).toEqual([3000, 3000])
  })

  it('reads Retry-After given as an HTTP date', async () => {
    fake = await FakeChatServer.start({retryAfter: new Date(Date.now() + 20_000).toUTCString()})
    fake.push('unavailable')
    const clock = recordingClock()
    await client({clock, backoffMs: 10}).complete(request)
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThan(17_000)
    expect(clock.sleeps[0]).toBeLessThanOrEqual(20_000)
  })

  it('backs off exponentially with jitter on 500s and gives up after the retries', async () => {
    fake = await FakeChatServer.start({decide: () => 'server-error'})
    const clock = recordingClock()
    const error = await client({clock, retries: 3, backoffMs: 100, random: () => 1}).complete(request).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ChatError)
    expect(error).toMatchObject({failure: 'unavailable', status: 500})
    expect((error as Error).message).toContain('failed 4 times; last: HTTP 500: ')
    expect(fake.requestCount).toBe(4)
    expect(clock.sleeps).toEqual([100, 200, 400])
    const jittered = recordingClock()
    await client({clock: jittered, retries: 2, backoffMs: 100, random: () => 0}).complete(request).catch(() => undefined)
    expect(jittered.sleeps).toEqual([50, 100])
  })

  it('recovers when a 500 is followed by a good answer', async () => {
    fake = await FakeChatServer.start()
    fake.push('server-error', 'bad-body')
    const answer = await client({clock: recordingClock()}).complete(request)
    expect(answer.finishReason).toBe('stop')
    expect(fake.requestCount).toBe(3)
  })

  it('times out a request that gets no answer, then retries it', async () => {
    fake = await FakeChatServer.start()
    fake.push('timeout', 'timeout')
    const answer = await client({clock: recordingClock(), timeoutMs: 200}).complete(request)
    expect(answer.finishReason).toBe('stop')
    expect(fake.received.map((received) => received.behaviour)).toEqual(['timeout', 'timeout', 'good'])
  })

  it('gives up on a timeout for good once the retries are spent', async () => {
    fake = await FakeChatServer.start({decide: () => 'timeout'})
    const error = await client({clock: recordingClock(), timeoutMs: 100, retries: 1}).complete(request).catch((caught: unknown) => caught)
    expect(error).toMatchObject({failure: 'unavailable'})
    expect((error as Error).message).toContain('no answer within 100 ms')
    expect(fake.requestCount).toBe(2)
  })

  it('does not retry a 401, and never puts the API key in the error', async () => {
    fake = await FakeChatServer.start({apiKey: 'right-key'})
    const error = await client({clock: recordingClock(), apiKey: 'wrong-key-secret'}).complete(request).catch((caught: unknown) => caught)
    expect(error).toMatchObject({failure: 'rejected', status: 401})
    expect(fake.requestCount).toBe(1)
    expect(JSON.stringify({message: (error as Error).message, stack: (error as Error).stack})).not.toContain('wrong-key-secret')
  })

  it('reports a prompt beyond the context window as too_long', async () => {
    fake = await FakeChatServer.start()
    fake.push('context-overflow')
    const error = await client({clock: recordingClock()}).complete(request).catch((caught: unknown) => caught)
    expect(error).toMatchObject({failure: 'too_long', status: 400})
    expect(fake.requestCount).toBe(1)
  })

  it('fails over a refused connection after its retries', async () => {
    fake = await FakeChatServer.start()
    const url = fake.url
    await fake.close()
    const error = await new ChatClient({baseUrl: url, model: 'm', timeoutMs: 1000, retries: 2, backoffMs: 1, concurrency: 1, requestsPerMinute: 0, clock: recordingClock()})
      .complete(request)
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({failure: 'unavailable'})
    expect((error as Error).message).toContain('connection failed: ECONNREFUSED')
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    fake = await FakeChatServer.start({latencyMs: 50})
    const chat = client({concurrency: 2})
    await Promise.all(Array.from({length: 6}, () => chat.complete(request)))
    expect(fake.requestCount).toBe(6)
    expect(fake.maxInFlight).toBe(2)
    expect(chat.requestsSent).toBe(6)
  })

  it('stops at once when the worker is stopped', async () => {
    fake = await FakeChatServer.start({decide: () => 'timeout'})
    const stop = new AbortController()
    const pending = client({timeoutMs: 60_000}).complete(request, stop.signal)
    while (fake.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    stop.abort(new Error('stopped by SIGTERM'))
    await expect(pending).rejects.toThrow('stopped by SIGTERM')
  })
})
