import {readFileSync} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'
import {packageRoot} from '../../core/package-root.js'
import {UserError} from '../../base/errors.js'
import {type Embedder, normalize} from '../embedding/embedder.js'

/** The default taxonomy of earnings-call subjects, shipped as data. */
export const defaultTaxonomyFile = path.join(packageRoot, 'data', 'taxonomies', 'earnings-calls.json')

const subjectSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a key is lowercase letters, digits and hyphens'),
  name: z.string().min(1),
  description: z.string().default(''),
  seedWords: z.array(z.string().min(1)).default([]),
})
const taxonomySchema = z.object({name: z.string().optional(), description: z.string().optional(), subjects: z.array(subjectSchema).min(1)})

/** A subject of the taxonomy. */
export type Subject = z.infer<typeof subjectSchema>

/** A taxonomy ready to assign: each subject with its embedding, its seed words, and how many subjects list each seed. */
export interface PreparedTaxonomy {
  subjects: Subject[]
  embeddings: Float32Array[]
  seeds: Set<string>[]
  /** How many subjects list a seed word: a word several subjects share says less about each. */
  listings: Map<string, number>
}

/** A topic's nearest subject, or none under the threshold. */
export interface SubjectMatch {
  subject: string | null
  score: number
}

/** Reads a taxonomy file: `{"subjects": [{"key", "name", "description", "seedWords": [...]}]}`. */
export function parseTaxonomy(text: string, file: string): Subject[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UserError(`The taxonomy ${file} is not JSON: ${(error as Error).message}.`, 'Write it as {"subjects": [{"key": "demand", "name": "Demand", "description": "...", "seedWords": ["order"]}]}.')
  }
  const parsed = taxonomySchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(`The taxonomy ${file} is not valid at ${issue.path.join('.') || 'its top level'}: ${issue.message}.`, 'Each subject needs a key, a name and a description or seed words.')
  }
  const keys = new Set<string>()
  for (const subject of parsed.data.subjects) {
    if (keys.has(subject.key)) throw new UserError(`The taxonomy ${file} has the subject ${subject.key} twice.`, 'Give every subject its own key.')
    if (!subject.description && subject.seedWords.length === 0) throw new UserError(`The taxonomy ${file}'s subject ${subject.key} has neither a description nor seed words.`, 'Give it one or both.')
    keys.add(subject.key)
  }
  return parsed.data.subjects
}

/** The default taxonomy's subjects. */
export function defaultTaxonomy(): Subject[] {
  return parseTaxonomy(readFileSync(defaultTaxonomyFile, 'utf8'), defaultTaxonomyFile)
}

/** A seed word and its singular ("orders" → "order", "supplies" → "supply"), since topic terms are lemmas. */
function seedForms(word: string): string[] {
  const lower = word.toLowerCase()
  if (lower.endsWith('ies') && lower.length > 4) return [lower, `${lower.slice(0, -3)}y`]
  if (lower.endsWith('s') && !lower.endsWith('ss') && lower.length > 3) return [lower, lower.slice(0, -1)]
  return [lower]
}

/** Embeds each subject's name, description and seed words once per worker, with the firm's embedder. */
export async function prepareTaxonomy(subjects: Subject[], embedder: Embedder): Promise<PreparedTaxonomy> {
  const texts = subjects.map((subject) => [`${subject.name}.`, subject.description, subject.seedWords.join(', ')].filter(Boolean).join(' '))
  const embeddings = (await embedder.embed(texts)).map((vector) => normalize(Float32Array.from(vector)))
  const seeds = subjects.map((subject) => new Set(subject.seedWords.flatMap((word) => word.split(/\s+/)).flatMap(seedForms)))
  const listings = new Map<string, number>()
  for (const words of seeds) for (const word of words) listings.set(word, (listings.get(word) ?? 0) + 1)
  return {subjects, embeddings, seeds, listings}
}

/**
 * The c-TF-IDF weight of each term (a cleaned lemma) of each topic over the firm's topics, outliers left out:
 * the term's count in the topic times ln(1 + mean terms per topic / the term's count over all topics).
 */
export function topicTermWeights(sentences: readonly {index: number; terms: readonly string[]}[], assignments: Int32Array): Map<number, Map<string, number>> {
  const counts = new Map<number, Map<string, number>>()
  const overall = new Map<string, number>()
  let total = 0
  for (const sentence of sentences) {
    const topic = assignments[sentence.index]!
    if (topic < 0) continue
    const own = counts.get(topic) ?? new Map<string, number>()
    counts.set(topic, own)
    for (const term of sentence.terms) {
      own.set(term, (own.get(term) ?? 0) + 1)
      overall.set(term, (overall.get(term) ?? 0) + 1)
      total++
    }
  }
  const meanTerms = total / Math.max(1, counts.size)
  const weights = new Map<number, Map<string, number>>()
  for (const [topic, own] of counts) {
    weights.set(topic, new Map([...own].map(([term, count]) => [term, count * Math.log(1 + meanTerms / overall.get(term)!)])))
  }
  return weights
}

/**
 * The nearest subject of a topic: a subject's score is the share of the topic's c-TF-IDF weight on the subject's
 * seed words (a seed listed by k subjects counts 1/k); the best score wins, ties going to the subject whose
 * embedding is nearest the topic's, then to the first in the file. Under minScore the topic gets no subject.
 */
export function matchSubject(topic: {embedding: Float32Array; termWeights: ReadonlyMap<string, number>}, taxonomy: PreparedTaxonomy, minScore: number): SubjectMatch {
  let totalWeight = 0
  for (const weight of topic.termWeights.values()) totalWeight += weight
  let best = {subject: null as string | null, score: -Infinity, cosine: -Infinity}
  taxonomy.subjects.forEach((subject, index) => {
    let seeded = 0
    for (const [term, weight] of topic.termWeights) if (taxonomy.seeds[index]!.has(term)) seeded += weight / taxonomy.listings.get(term)!
    const score = totalWeight > 0 ? Math.round((seeded / totalWeight) * 1e6) / 1e6 : 0
    const cosine = dot(topic.embedding, taxonomy.embeddings[index]!)
    if (score > best.score || (score === best.score && cosine > best.cosine)) best = {subject: subject.key, score, cosine}
  })
  const score = Number.isFinite(best.score) ? best.score : 0
  return score >= minScore && score > 0 ? {subject: best.subject, score} : {subject: null, score}
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) sum += a[index]! * b[index]!
  return sum
}
