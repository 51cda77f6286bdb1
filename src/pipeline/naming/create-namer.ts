import type {LlmConfig} from '../../core/config/llm-schema.js'
import type {Storage} from '../../storage/storage.js'
import {ChatClient} from './chat-client.js'
import type {Clock} from '../../base/clock.js'
import {LabelCache} from './label-cache.js'
import {TopicNamer} from './topic-namer.js'

export interface NamerContext {
  /** The run's storage: the prompt cache lives at its root. */
  storage?: Storage
  /** Where the API key is read from (the variable named by llm.apiKeyVariable); never logged. */
  environment: NodeJS.ProcessEnv
  log: (line: string) => void
  clock?: Clock
}

/** The worker's topic namer, or undefined when no endpoint is configured (topics keep keyword labels). */
export function createTopicNamer(config: LlmConfig, context: NamerContext): TopicNamer | undefined {
  if (config.baseUrl === '') return undefined
  const apiKey = context.environment[config.apiKeyVariable] || undefined
  context.log(
    `llm: naming topics with ${config.model} at ${config.baseUrl} (${apiKey ? `API key from ${config.apiKeyVariable}` : `no API key: ${config.apiKeyVariable} is not set`})`,
  )
  const client = chatClientFor(config, {apiKey, clock: context.clock})
  const cache = context.storage ? new LabelCache(context.storage, config.model, context.log) : undefined
  return new TopicNamer(client, config, cache, context.log)
}

/** A chat client with the llm section's endpoint, timeout, retries and limits. */
export function chatClientFor(config: LlmConfig, options: {apiKey?: string; clock?: Clock} = {}): ChatClient {
  return new ChatClient({
    baseUrl: config.baseUrl,
    model: config.model,
    apiKey: options.apiKey,
    timeoutMs: config.timeoutSeconds * 1000,
    retries: config.retries,
    backoffMs: config.backoffSeconds * 1000,
    concurrency: config.concurrency,
    requestsPerMinute: config.requestsPerMinute,
    clock: options.clock,
  })
}
