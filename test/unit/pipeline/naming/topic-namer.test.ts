import {afterEach, describe, expect, it} from 'vitest'
import {defaultLlm, type LlmConfig} from '../../../../src/core/config/llm-schema.js'
import {FirmError} from '../../../../src/pipeline/firm-error.js'
import {chatClientFor} from '../../../../src/pipeline/naming/create-namer.js'
import {cacheFolder, LabelCache} from '../../../../src/pipeline/naming/label-cache.js'
import {splitEvenly, TopicNamer} from '../../../../src/pipeline/naming/topic-namer.js'
import {LocalStorage} from '../../../../src/storage/local-storage.js'
import {FakeChatServer, fakeLabel, firmModelWithTopics} from '../../../../fakes/fake-chat-server.js'
import {temporaryFolder} from '../../../support/sample-subset.js'

describe('TopicNamer against a wire-level fake', () => {
  let fake: FakeChatServer
  afterEach(async () => fake?.close())

  const namer = (settings: Partial<LlmConfig> = {}, storage?: LocalStorage, lines: string[] = []): TopicNamer => {
    const config = {...defaultLlm, baseUrl: fake.url, model: 'm', backoffSeconds: 0.001, retries: 2, requestsPerMinute: 0, ...settings}
    return new TopicNamer(chatClientFor(config), config, storage ? new LabelCache(storage, 'm') : undefined, (line) => lines.push(line))
  }

  it('names all 20 topics of a firm in one request, from keywords and representative sentences', async () => {
    fake = await FakeChatServer.start()
    const model = firmModelWithTopics(20)
    const outcome = await namer().nameTopics(model, 'Acme Corp')
    expect(fake.requestCount).toBe(1)
    expect(outcome).toEqual({named: 20, keywordLabels: 0, cacheHits: 0})
    for (const topic of model.topics) expect(topic).toMatchObject({label: fakeLabel(topic.keywords), labelSource: 'llm'})
    const prompt = fake.received[0]!.body.messages[1]!.content
    expect(prompt).toContain('Company: Acme Corp')
    expect(prompt).toContain(`- ${model.sentences[model.topics[7]!.representativeSentences[0]!]!.text}`)
    expect(fake.received[0]!.body.response_format).toMatchObject({type: 'json_schema', json_schema: {name: 'topic_labels'}})
  })

  it('splits firms beyond maxTopicsPerRequest into the fewest even requests', async () => {
    fake = await FakeChatServer.start()
    const model = firmModelWithTopics(20)
    await namer({maxTopicsPerRequest: 8}).nameTopics(model, 'Acme')
    expect(fake.received.map((request) => request.topics.length).sort()).toEqual([6, 7, 7])
    expect(model.topics.every((topic) => topic.labelSource === 'llm')).toBe(true)
    expect(splitEvenly([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
  })

  for (const fault of ['malformed', 'truncated', 'wrong-ids', 'context-overflow'] as const) {
    it(`halves the request when the answer is ${fault}, until the parts pass`, async () => {
      fake = await FakeChatServer.start({decide: (request) => (request.topics.length > 5 ? fault : 'good')})
      const model = firmModelWithTopics(20)
      const outcome = await namer().nameTopics(model, 'Acme')
      expect(fake.received.map((request) => request.topics.length)).toEqual([20, 10, 10, 5, 5, 5, 5])
      expect(outcome).toMatchObject({named: 20, keywordLabels: 0})
      for (const topic of model.topics) expect(topic.label).toBe(fakeLabel(topic.keywords))
    })
  }

  it('keeps the keyword label of a topic the model cannot name, and says so', async () => {
    fake = await FakeChatServer.start({decide: (request) => (request.topics.some((topic) => topic.topicId === 2) ? 'malformed' : 'good')})
    const model = firmModelWithTopics(4)
    const keywordLabelOf2 = model.topics[2]!.label
    const lines: string[] = []
    const outcome = await namer({}, undefined, lines).nameTopics(model, 'Acme')
    expect(outcome).toMatchObject({named: 3, keywordLabels: 1})
    expect(outcome.fallbackReason).toContain('topic 2: the answer is not JSON')
    expect(model.topics[2]).toMatchObject({label: keywordLabelOf2, labelSource: 'keywords'})
    expect(model.topics.filter((topic) => topic.labelSource === 'llm')).toHaveLength(3)
    expect(lines.join('\n')).toContain('1 topic(s) keep keyword labels')
  })

  it('falls back to keyword labels for the whole firm when the endpoint keeps failing (onFailure fallback)', async () => {
    fake = await FakeChatServer.start({decide: () => 'server-error'})
    const model = firmModelWithTopics(6)
    const before = model.topics.map((topic) => topic.label)
    const outcome = await namer({onFailure: 'fallback', retries: 2}).nameTopics(model, 'Acme')
    expect(fake.requestCount).toBe(3)
    expect(outcome).toMatchObject({named: 0, keywordLabels: 6})
    expect(outcome.fallbackReason).toContain('HTTP 500')
    expect(model.topics.map((topic) => topic.label)).toEqual(before)
    expect(model.topics.every((topic) => topic.labelSource === 'keywords')).toBe(true)
  })

  it('tries a failing endpoint once per firm until it answers again, then retries as usual', async () => {
    fake = await FakeChatServer.start()
    const topicNamer = namer({retries: 2})
    fake.push('server-error', 'server-error', 'server-error', 'server-error')
    expect((await topicNamer.nameTopics(firmModelWithTopics(3), 'First')).named).toBe(0)
    expect(fake.requestCount).toBe(3)
    expect((await topicNamer.nameTopics(firmModelWithTopics(3), 'Second')).named).toBe(0)
    expect(fake.requestCount).toBe(4)
    expect((await topicNamer.nameTopics(firmModelWithTopics(3), 'Third')).named).toBe(3)
    expect(fake.requestCount).toBe(5)
    fake.push('server-error', 'server-error')
    expect((await topicNamer.nameTopics(firmModelWithTopics(3), 'Fourth')).named).toBe(3)
    expect(fake.requestCount).toBe(8)
  })

  it('fails the firm with llm_error when the endpoint keeps failing (onFailure fail)', async () => {
    fake = await FakeChatServer.start({decide: () => 'rate-limit', retryAfter: ''})
    const error = await namer({onFailure: 'fail', retries: 1}).nameTopics(firmModelWithTopics(6), 'Acme').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FirmError)
    expect(error).toMatchObject({kind: 'llm_error'})
    expect((error as Error).message).toContain('HTTP 429')
    expect(fake.requestCount).toBe(2)
  })

  it('fails the firm when a topic cannot be named and onFailure is fail', async () => {
    fake = await FakeChatServer.start({decide: () => 'malformed'})
    await expect(namer({onFailure: 'fail'}).nameTopics(firmModelWithTopics(2), 'Acme')).rejects.toMatchObject({kind: 'llm_error'})
  })

  it('answers a repeated prompt from the cache in storage, without a request', async () => {
    fake = await FakeChatServer.start()
    const root = temporaryFolder()
    await namer({}, new LocalStorage(root)).nameTopics(firmModelWithTopics(20), 'Acme')
    expect(fake.requestCount).toBe(1)
    const again = firmModelWithTopics(20)
    const outcome = await namer({}, new LocalStorage(root)).nameTopics(again, 'Acme')
    expect(fake.requestCount).toBe(1)
    expect(outcome).toEqual({named: 20, keywordLabels: 0, cacheHits: 1})
    expect(again.topics.every((topic) => topic.labelSource === 'llm' && topic.label === fakeLabel(topic.keywords))).toBe(true)
    expect(await new LocalStorage(root).list(cacheFolder)).toHaveLength(1)
    // Other topics make another prompt: a miss.
    await namer({}, new LocalStorage(root)).nameTopics(firmModelWithTopics(20, 3), 'Acme')
    expect(fake.requestCount).toBe(2)
  })

  it('remembers which prompts had to be split, so a re-run pays only for the parts', async () => {
    fake = await FakeChatServer.start({decide: (request) => (request.topics.length > 10 ? 'malformed' : 'good')})
    const root = temporaryFolder()
    await namer({}, new LocalStorage(root)).nameTopics(firmModelWithTopics(20), 'Acme')
    expect(fake.requestCount).toBe(3)
    const outcome = await namer({}, new LocalStorage(root)).nameTopics(firmModelWithTopics(20), 'Acme')
    expect(fake.requestCount).toBe(3)
    expect(outcome).toMatchObject({named: 20, cacheHits: 3})
  })

  it('does not cache failures: a firm that fell back is asked again next time', async () => {
    fake = await FakeChatServer.start()
    fake.push('server-error', 'server-error', 'server-error')
    const root = temporaryFolder()
    const first = await namer({retries: 2}, new LocalStorage(root)).nameTopics(firmModelWithTopics(5), 'Acme')
    expect(first.named).toBe(0)
    const second = await namer({retries: 2}, new LocalStorage(root)).nameTopics(firmModelWithTopics(5), 'Acme')
    expect(second.named).toBe(5)
    expect(fake.requestCount).toBe(4)
  })

  it('leaves a firm without topics alone', async () => {
    fake = await FakeChatServer.start()
    expect(await namer().nameTopics(firmModelWithTopics(0), 'Acme')).toEqual({named: 0, keywordLabels: 0, cacheHits: 0})
    expect(fake.requestCount).toBe(0)
  })

  it('passes a stop through instead of falling back', async () => {
    fake = await FakeChatServer.start({decide: () => 'timeout'})
    const stop = new AbortController()
    const pending = namer().nameTopics(firmModelWithTopics(3), 'Acme', stop.signal)
    while (fake.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    stop.abort(new Error('stopped'))
    await expect(pending).rejects.toThrow('stopped')
  })
})
