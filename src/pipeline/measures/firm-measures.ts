import type {FirmTranscript} from '../../sources/transcript-source.js'
import type {FirmTopic} from '../model-firm.js'
import type {PreparedSentence} from '../stages/preprocess.js'
import {callStructure, type QaRule, type Role, type Section} from './call-structure.js'
import type {Lexicon} from './lexicon.js'
import {matchSubject, type PreparedTaxonomy, topicTermWeights} from './taxonomy.js'
import {countTone, netTone, type SentenceTone} from './tone.js'

/** What the measures need, loaded once per worker. */
export interface MeasureContext {
  lexicon: Lexicon
  taxonomy: PreparedTaxonomy
  /** A topic whose best subject scores below this gets no subject. */
  minSubjectScore: number
}

/** The measures of one sentence. */
export interface SentenceMeasures extends SentenceTone {
  section: Section
  role: Role
  subject: string | null
}

/** Counts over a set of sentences (a topic, or the whole call). */
export interface MeasureTotals {
  sentences: number
  words: number
  presentationSentences: number
  qaSentences: number
  analystSentences: number
  managementSentences: number
  positive: number
  negative: number
  netTone: number | null
  uncertainty: number
  litigious: number
  constraining: number
  riskSentences: number
}

/** The measures of one topic: its totals, its shares of the call and where it came up first. */
export interface TopicMeasures extends MeasureTotals {
  sentenceShare: number
  wordShare: number
  /** The topic's share of the presentation's sentences (null when the call has none). */
  presentationShare: number | null
  /** The topic's share of the Q&A's sentences (null when the call has no Q&A). */
  qaShare: number | null
  /** The share of the topic's sentences spoken by analysts. */
  analystShare: number
  firstRole: Role
  firstSection: Section
  subject: string | null
  subjectScore: number
}

/** The measures of one firm's call. */
export interface FirmMeasures {
  sentences: SentenceMeasures[]
  topics: Map<number, TopicMeasures>
  call: MeasureTotals & {qaRule: QaRule; subjects: string[]; subjectShares: number[]}
}

/** A firm's measures with the milliseconds they took. */
export type TimedMeasures = FirmMeasures & {ms: number}

/** Computes call structure, tone, risk and taxonomy measures of a modeled call; deterministic in its input. */
export function measureFirm(
  transcript: FirmTranscript,
  model: {sentences: readonly PreparedSentence[]; assignments: Int32Array; topics: readonly FirmTopic[]},
  context: MeasureContext,
): FirmMeasures {
  const structure = callStructure(transcript)
  const termWeights = topicTermWeights(model.sentences, model.assignments)
  const subjectOfTopic = new Map(
    model.topics.map((topic) => [
      topic.topicId,
      matchSubject({embedding: topic.embedding, termWeights: termWeights.get(topic.topicId) ?? new Map()}, context.taxonomy, context.minSubjectScore),
    ]),
  )
  const sentences = model.sentences.map((sentence): SentenceMeasures => {
    const place = structure.components.get(sentence.componentOrder) ?? {section: 'presentation' as const, role: 'other' as const}
    const topic = model.assignments[sentence.index]!
    return {...countTone(sentence.text, context.lexicon), ...place, subject: subjectOfTopic.get(topic)?.subject ?? null}
  })
  const call = totals(sentences)
  const topics = new Map<number, TopicMeasures>()
  for (const topic of model.topics) {
    const members = model.sentences.filter((sentence) => model.assignments[sentence.index] === topic.topicId).map((sentence) => sentences[sentence.index]!)
    const own = totals(members)
    const first = members[0] ?? {role: 'other' as const, section: 'presentation' as const}
    const match = subjectOfTopic.get(topic.topicId)!
    topics.set(topic.topicId, {
      ...own,
      sentenceShare: ratio(own.sentences, call.sentences) ?? 0,
      wordShare: ratio(own.words, call.words) ?? 0,
      presentationShare: ratio(own.presentationSentences, call.presentationSentences),
      qaShare: ratio(own.qaSentences, call.qaSentences),
      analystShare: ratio(own.analystSentences, own.sentences) ?? 0,
      firstRole: first.role,
      firstSection: first.section,
      subject: match.subject,
      subjectScore: match.score,
    })
  }
  const subjects = context.taxonomy.subjects.map((subject) => subject.key)
  const subjectShares = subjects.map((key) => ratio(sentences.filter((sentence) => sentence.subject === key).length, sentences.length) ?? 0)
  return {sentences, topics, call: {...call, qaRule: structure.qaRule, subjects, subjectShares}}
}

function totals(sentences: readonly SentenceMeasures[]): MeasureTotals {
  const sum = (pick: (sentence: SentenceMeasures) => number): number => sentences.reduce((total, sentence) => total + pick(sentence), 0)
  const positive = sum((sentence) => sentence.positive)
  const negative = sum((sentence) => sentence.negative)
  return {
    sentences: sentences.length,
    words: sum((sentence) => sentence.words),
    presentationSentences: sum((sentence) => (sentence.section === 'presentation' ? 1 : 0)),
    qaSentences: sum((sentence) => (sentence.section === 'qa' ? 1 : 0)),
    analystSentences: sum((sentence) => (sentence.role === 'analyst' ? 1 : 0)),
    managementSentences: sum((sentence) => (sentence.role === 'management' ? 1 : 0)),
    positive,
    negative,
    netTone: netTone(positive, negative),
    uncertainty: sum((sentence) => sentence.uncertainty),
    litigious: sum((sentence) => sentence.litigious),
    constraining: sum((sentence) => sentence.constraining),
    riskSentences: sum((sentence) => (sentence.risk ? 1 : 0)),
  }
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}
