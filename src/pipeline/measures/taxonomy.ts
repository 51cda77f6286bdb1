import {readFileSync} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'
import {packageRoot} from '../../core/package-root.js'
import {UserError} from '../../core/errors.js'
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

/** A taxonomy ready to assign: each subject with its embedding and its seed words. */
export interface PreparedTaxonomy {
  subjects: Subject[]
  embeddings: Float32Array[]
  seeds: Set<string>[]
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

/** Embeds each subject's name, description and seed words once per worker, with the firm's embedder. */
export async function prepareTaxonomy(subjects: Subject[], embedder: Embedder): Promise<PreparedTaxonomy> {
  const texts = subjects.map((subject) => [`${subject.name}.`, subject.description, subject.seedWords.join(', ')].filter(Boolean).join(' '))
  const embeddings = (await embedder.embed(texts)).map((vector) => normalize(Float32Array.from(vector)))
  const seeds = subjects.map((subject) => new Set(subject.seedWords.flatMap((word) => word.toLowerCase().split(/\s+/))))
  return {subjects, embeddings, seeds}
}

/**
 * The nearest subject of a topic: the score of a subject is the cosine of the topic's embedding with the subject's
 * plus the share of the topic's c-TF-IDF weight on keywords with a seed word of the subject; the best subject wins
 * (ties: the first in the file) when its score reaches minScore.
 */
export function matchSubject(
  topic: {embedding: Float32Array; keywords: readonly string[]; keywordScores: readonly number[]},
  taxonomy: PreparedTaxonomy,
  minScore: number,
): SubjectMatch {
  const totalWeight = topic.keywordScores.reduce((sum, score) => sum + Math.max(0, score), 0)
  let best: SubjectMatch = {subject: null, score: -Infinity}
  taxonomy.subjects.forEach((subject, index) => {
    const cosine = dot(topic.embedding, taxonomy.embeddings[index]!)
    let seeded = 0
    topic.keywords.forEach((keyword, rank) => {
      if (keyword.split(/\s+/).some((word) => taxonomy.seeds[index]!.has(word))) seeded += Math.max(0, topic.keywordScores[rank] ?? 0)
    })
    const score = cosine + (totalWeight > 0 ? seeded / totalWeight : 0)
    if (score > best.score) best = {subject: subject.key, score}
  })
  const score = Number.isFinite(best.score) ? Math.round(best.score * 1e6) / 1e6 : 0
  return score >= minScore ? {subject: best.subject, score} : {subject: null, score}
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) sum += a[index]! * b[index]!
  return sum
}
