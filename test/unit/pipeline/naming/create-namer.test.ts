import {afterEach, describe, expect, it} from 'vitest'
import {findLeaf} from '../../../../src/core/config/leaves.js'
import {defaultLlm} from '../../../../src/core/config/llm-schema.js'
import {loadConfig} from '../../../../src/core/config/load-config.js'
import {createTopicNamer} from '../../../../src/pipeline/naming/create-namer.js'
import {FakeChatServer, firmModelWithTopics} from '../../../../fakes/fake-chat-server.js'
import {temporaryFolder} from '../../../support/sample-subset.js'

describe('llm configuration', () => {
  const load = (environment: Record<string, string>) => loadConfig({cwd: temporaryFolder(), environment})

  it('has no endpoint by default, and keys that flow to FTM_LLM__* variables', () => {
    expect(load({}).config.llm).toEqual(defaultLlm)
    expect(findLeaf('llm.requestsPerMinute')?.environmentVariable).toBe('FTM_LLM__REQUESTS_PER_MINUTE')
    expect(findLeaf('llm.onFailure')?.choices).toEqual(['fallback', 'fail'])
    expect(findLeaf('llm.apiKey')).toBeUndefined()
    const config = load({FTM_LLM__BASE_URL: 'http://vllm:8000/v1', FTM_LLM__MODEL: 'qwen', FTM_LLM__ON_FAILURE: 'fail'}).config.llm
    expect(config).toMatchObject({baseUrl: 'http://vllm:8000/v1', model: 'qwen', onFailure: 'fail'})
  })

  it('asks for a model when a base URL is set, and for a URL that is one', () => {
    expect(() => load({FTM_LLM__BASE_URL: 'http://vllm:8000/v1'})).toThrow(/llm\.model/)
    expect(() => load({FTM_LLM__BASE_URL: 'vllm:8000', FTM_LLM__MODEL: 'qwen'})).toThrow(/llm\.baseUrl/)
    expect(() => load({FTM_LLM__API_KEY_VARIABLE: 'not a name'})).toThrow(/llm\.apiKeyVariable/)
  })
})

describe('createTopicNamer', () => {
  let fake: FakeChatServer
  afterEach(async () => fake?.close())

  it('is not created without an endpoint', () => {
    expect(createTopicNamer(defaultLlm, {environment: {}, log: () => {}})).toBeUndefined()
  })

  it('reads the key from the variable llm.apiKeyVariable names, and never logs it', async () => {
    fake = await FakeChatServer.start({apiKey: 'key-from-env-42'})
    const lines: string[] = []
    const config = {...defaultLlm, baseUrl: fake.url, model: 'm', apiKeyVariable: 'MY_VLLM_KEY'}
    const namer = createTopicNamer(config, {environment: {MY_VLLM_KEY: 'key-from-env-42', FTM_LLM_API_KEY: 'other'}, log: (line) => lines.push(line)})!
    const outcome = await namer.nameTopics(firmModelWithTopics(3), 'Acme')
    expect(outcome.named).toBe(3)
    expect(fake.received[0]!.authorization).toBe('Bearer key-from-env-42')
    expect(lines.join('\n')).toContain('API key from MY_VLLM_KEY')
    expect(lines.join('\n')).not.toContain('key-from-env-42')
  })

  it('sends no Authorization header when the variable is unset, and says so', async () => {
    fake = await FakeChatServer.start()
    const lines: string[] = []
    const namer = createTopicNamer({...defaultLlm, baseUrl: fake.url, model: 'm'}, {environment: {}, log: (line) => lines.push(line)})!
    await namer.nameTopics(firmModelWithTopics(2), 'Acme')
    expect(fake.received[0]!.authorization).toBeUndefined()
    expect(lines.join('\n')).toContain('no API key: FTM_LLM_API_KEY is not set')
  })
})
