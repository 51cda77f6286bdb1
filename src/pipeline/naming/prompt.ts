import {z} from 'zod'
import type {LlmConfig} from '../../core/config/llm-schema.js'
import type {ChatRequest} from './chat-client.js'

/** What the model sees of one topic. */
export interface TopicBrief {
  topicId: number
  keywords: string[]
  sentences: string[]
}

/** Longest label accepted, in characters and in words. */
export const maxLabelCharacters = 60
export const maxLabelWords = 8
const maxSentenceCharacters = 400
const keywordsShown = 10

const instructions = [
  "You name the topics of one company's earnings call for finance researchers.",
  'Each topic comes with its keywords (most distinctive first) and a few representative sentences.',
  'Give every topic a label of 2 to 6 words that says specifically what is discussed: the product, segment, region,',
  'metric, event or risk. Avoid generic labels such as "Business Update", "Financial Performance" or "Outlook" alone,',
  'and do not repeat the company name. Two topics should not get the same label.',
  'Answer with JSON only, in this form: {"topics": [{"id": <topic id>, "label": "<label>"}]},',
  'with exactly one entry for each topic id given and nothing else.',
].join(' ')

/** The chat request that names `topics` of one firm in one go. */
export function namingRequest(firmName: string, topics: readonly TopicBrief[], config: Pick<LlmConfig, 'responseFormat' | 'temperature'>): ChatRequest {
  const blocks = topics.map((topic) => {
    const lines = [`Topic ${topic.topicId}`, `Keywords: ${topic.keywords.slice(0, keywordsShown).join(', ')}`]
    if (topic.sentences.length > 0) lines.push('Sentences:', ...topic.sentences.map((sentence) => `- ${shorten(sentence)}`))
    return lines.join('\n')
  })
  const company = firmName.trim() ? `Company: ${firmName.trim()}\n\n` : ''
  const ids = topics.map((topic) => topic.topicId)
  return {
    messages: [
      {role: 'system', content: instructions},
      {role: 'user', content: `${company}${blocks.join('\n\n')}\n\nLabel topics ${ids.join(', ')}.`},
    ],
    // A label is under ~20 tokens; the JSON around it about 10 more per topic.
    maxTokens: 40 + 40 * topics.length,
    temperature: config.temperature,
    responseFormat: responseFormat(config.responseFormat, ids),
  }
}

function answerSchema(count: number) {
  return z.strictObject({
    topics: z
      .array(z.strictObject({id: z.number().int(), label: z.string().min(1).max(maxLabelCharacters)}))
      .min(count)
      .max(count),
  })
}

/** The OpenAI response_format: for json_schema, exactly one entry per topic id asked (vLLM enforces it while decoding). */
function responseFormat(kind: LlmConfig['responseFormat'], ids: readonly number[]): Record<string, unknown> | undefined {
  if (kind === 'none') return undefined
  if (kind === 'json_object') return {type: 'json_object'}
  const entry = {
    type: 'object',
    properties: {id: {type: 'integer', enum: ids}, label: {type: 'string', maxLength: maxLabelCharacters}},
    required: ['id', 'label'],
    additionalProperties: false,
  }
  const schema = {
    type: 'object',
    properties: {topics: {type: 'array', items: entry, minItems: ids.length, maxItems: ids.length}},
    required: ['topics'],
    additionalProperties: false,
  }
  return {type: 'json_schema', json_schema: {name: 'topic_labels', strict: true, schema}}
}

/** The labels of an answer by topic id, or why the answer cannot be used (then smaller requests are tried). */
export function parseLabels(content: string, topicIds: readonly number[]): {labels: Map<number, string>} | {problem: string} {
  const json = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '')
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return {problem: `the answer is not JSON: ${content.slice(0, 80)}`}
  }
  const result = answerSchema(topicIds.length).safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]!
    return {problem: `the answer does not match the schema at ${issue.path.join('.') || '(root)'}: ${issue.message}`}
  }
  const labels = new Map<number, string>()
  for (const entry of result.data.topics) {
    if (!topicIds.includes(entry.id)) return {problem: `the answer names topic ${entry.id}, which was not asked for`}
    if (labels.has(entry.id)) return {problem: `the answer names topic ${entry.id} twice`}
    const label = cleanLabel(entry.label)
    if (!label) return {problem: `the label of topic ${entry.id} is empty`}
    if (label.split(' ').length > maxLabelWords) return {problem: `the label of topic ${entry.id} has more than ${maxLabelWords} words`}
    labels.set(entry.id, label)
  }
  return {labels}
}

/** Trims quotes, a final full stop and extra white space from a label. */
export function cleanLabel(label: string): string {
  return label
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, '')
    .replace(/\.$/, '')
    .trim()
}

function shorten(sentence: string): string {
  const flat = sentence.replace(/\s+/g, ' ').trim()
  return flat.length > maxSentenceCharacters ? `${flat.slice(0, maxSentenceCharacters - 1)}…` : flat
}
