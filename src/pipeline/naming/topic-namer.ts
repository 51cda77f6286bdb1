import type {LlmConfig} from '../../core/config/llm-schema.js'
import {FirmError} from '../firm-error.js'
import type {FirmModel} from '../model-firm.js'
import {ChatError, type ChatClient} from './chat-client.js'
import type {LabelCache} from './label-cache.js'
import {namingRequest, parseLabels, type TopicBrief} from './prompt.js'

/** What naming did for one firm. */
export interface NamingOutcome {
  /** Topics that got an LLM label. */
  named: number
  /** Topics that kept their keyword label. */
  keywordLabels: number
  /** Prompts answered from the cache. */
  cacheHits: number
  /** Why some or all topics kept keyword labels. */
  fallbackReason?: string
}

type NamingSettings = Pick<LlmConfig, 'maxTopicsPerRequest' | 'sentencesPerTopic' | 'responseFormat' | 'temperature' | 'onFailure'>

/**
 * Names a firm's topics with as few requests as possible: all topics in one request (or a few, beyond
 * maxTopicsPerRequest), halved again whenever an answer is malformed or too long. A topic that cannot be named
 * keeps its keyword label; when the endpoint itself fails, llm.onFailure decides between keyword labels and a
 * firm failure (llm_error).
 */
export class TopicNamer {
  /** The endpoint failed for the last firm: the next firm tries once, without retries, until it answers again. */
  private endpointDown = false

  constructor(
    private readonly client: ChatClient,
    private readonly settings: NamingSettings,
    private readonly cache?: LabelCache,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Overwrites label and labelSource of the model's topics where the LLM named them. */
  async nameTopics(model: FirmModel, firmName: string, signal?: AbortSignal): Promise<NamingOutcome> {
    const outcome: NamingOutcome = {named: 0, keywordLabels: model.topics.length, cacheHits: 0}
    if (model.topics.length === 0) return outcome
    const briefs: TopicBrief[] = model.topics.map((topic) => ({
      topicId: topic.topicId,
      keywords: topic.keywords,
      sentences: topic.representativeSentences.slice(0, this.settings.sentencesPerTopic).map((index) => model.sentences[index]?.text ?? ''),
    }))
    const unusable: string[] = []
    const firmAbort = new AbortController()
    const firmSignal = signal ? AbortSignal.any([signal, firmAbort.signal]) : firmAbort.signal
    let labels: Map<number, string>
    try {
      const parts = await Promise.all(
        splitEvenly(briefs, this.settings.maxTopicsPerRequest).map((group) => this.nameGroup(firmName, group, outcome, unusable, firmSignal)),
      )
      labels = new Map(parts.flatMap((part) => [...part]))
      this.endpointDown = false
    } catch (error) {
      firmAbort.abort()
      if (signal?.aborted) throw signal.reason
      if (!(error instanceof ChatError)) throw error
      if (!this.endpointDown) this.log('llm: the endpoint is failing; later firms try it once (no retries) until it answers again')
      this.endpointDown = true
      return this.giveUp(outcome, `the LLM endpoint failed for ${firmName || 'this firm'}: ${error.message}`)
    }
    for (const topic of model.topics) {
      const label = labels.get(topic.topicId)
      if (label === undefined) continue
      topic.label = label
      topic.labelSource = 'llm'
    }
    outcome.named = labels.size
    outcome.keywordLabels = model.topics.length - labels.size
    if (unusable.length > 0) return this.giveUp(outcome, `the model gave no usable label for ${unusable.length} topic(s) of ${firmName || 'this firm'}; first: ${unusable[0]}`)
    return outcome
  }

  private giveUp(outcome: NamingOutcome, reason: string): NamingOutcome {
    if (this.settings.onFailure === 'fail') throw new FirmError('llm_error', `${reason} (llm.onFailure is fail)`)
    outcome.fallbackReason = reason
    this.log(`llm: ${outcome.keywordLabels} topic(s) keep keyword labels: ${reason}`)
    return outcome
  }

  private async nameGroup(
    firmName: string,
    group: TopicBrief[],
    outcome: NamingOutcome,
    unusable: string[],
    signal: AbortSignal,
  ): Promise<Map<number, string>> {
    const request = namingRequest(firmName, group, this.settings)
    const key = this.cache?.keyOf(request)
    const cached = key ? await this.cache!.get(key) : undefined
    if (cached) outcome.cacheHits++
    if (cached && 'labels' in cached) return new Map(Object.entries(cached.labels).map(([id, label]) => [Number(id), label]))
    let problem = 'an earlier answer to this prompt was unusable (cached)'
    if (!cached) {
      const answer = await this.ask(request, group, signal, key)
      if (typeof answer !== 'string') return answer
      problem = answer
    }
    if (group.length === 1) {
      unusable.push(`topic ${group[0]!.topicId}: ${problem}`)
      return new Map()
    }
    const half = Math.ceil(group.length / 2)
    const parts = await Promise.all([group.slice(0, half), group.slice(half)].map((part) => this.nameGroup(firmName, part, outcome, unusable, signal)))
    return new Map(parts.flatMap((part) => [...part]))
  }

  /** Labels from the server, or why its answer cannot be used (the caller then tries smaller requests). */
  private async ask(request: ReturnType<typeof namingRequest>, group: TopicBrief[], signal: AbortSignal, key?: string): Promise<Map<number, string> | string> {
    let problem: string
    try {
      const answer = await this.client.complete(request, signal, this.endpointDown ? 0 : undefined)
      const parsed = answer.finishReason === 'length' ? {problem: `the answer was cut off at ${request.maxTokens} tokens`} : parseLabels(answer.content, group.map((topic) => topic.topicId))
      if ('labels' in parsed) {
        if (key) await this.cache!.put(key, {labels: Object.fromEntries(parsed.labels)})
        return parsed.labels
      }
      problem = parsed.problem
    } catch (error) {
      if (!(error instanceof ChatError) || error.failure !== 'too_long') throw error
      problem = `the prompt is too long for the model (${error.message})`
    }
    this.log(`llm: ${group.length} topic(s) in one request: ${problem}${group.length > 1 ? '; trying smaller requests' : ''}`)
    if (key && group.length > 1) await this.cache!.put(key, {split: true})
    return problem
  }
}

/** Splits items into the fewest groups of at most `size`, with sizes within one of each other. */
export function splitEvenly<T>(items: readonly T[], size: number): T[][] {
  const count = Math.ceil(items.length / size)
  const groups: T[][] = []
  for (let group = 0, start = 0; group < count; group++) {
    const length = Math.floor(items.length / count) + (group < items.length % count ? 1 : 0)
    groups.push(items.slice(start, start + length))
    start += length
  }
  return groups
}
