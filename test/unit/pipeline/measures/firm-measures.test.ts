import {describe, expect, it} from 'vitest'
import {measureFirm, type MeasureContext} from '../../../../src/pipeline/measures/firm-measures.js'
import {parseLexicon} from '../../../../src/pipeline/measures/lexicon.js'
import type {FirmTopic} from '../../../../src/pipeline/model-firm.js'
import type {PreparedSentence} from '../../../../src/pipeline/stages/preprocess.js'
import type {FirmTranscript} from '../../../../src/sources/transcript-source.js'

const transcript: FirmTranscript = {
  firmId: '1',
  firmName: 'Test Firm',
  transcriptId: '9',
  callDate: '2024-02-01T00:00:00.000Z',
  components: [
    {componentOrder: 0, speakerType: 'Operator', text: 'Welcome.'},
    {componentOrder: 1, speakerType: 'Executives', text: ''},
    {componentOrder: 2, speakerType: 'Analysts', text: ''},
    {componentOrder: 3, speakerType: 'Executives', text: ''},
  ],
}

// Six kept sentences: two of topic 0 (margins) in the presentation, an analyst's question that raises topic 1
// (tariffs) in the Q&A, management's answers, and an outlier.
const texts: [componentOrder: number, text: string, topic: number, terms: string[]][] = [
  [1, 'Margins were strong.', 0, ['margin', 'strong']],
  [1, 'Margins will stay strong next year.', 0, ['margin', 'stay', 'strong']],
  [2, 'Is there a risk from tariffs?', 1, ['risk', 'tariff']],
  [3, 'Tariffs are a weak spot for us.', 1, ['tariff', 'weak', 'spot']],
  [3, 'Margins are not strong in Europe.', 0, ['margin', 'strong', 'europe']],
  [3, 'Thanks for the question.', -1, ['thanks', 'question']],
]
const sentences: PreparedSentence[] = texts.map(([componentOrder, text, , terms], index) => ({
  index,
  componentOrder,
  sentenceInComponent: index,
  speakerType: transcript.components[componentOrder]!.speakerType,
  text,
  terms,
  followsPrevious: terms.map(() => true),
}))
const assignments = Int32Array.from(texts.map(([, , topic]) => topic))
const unit = (x: number, y: number): Float32Array => Float32Array.from([x, y])
const topics = [
  {topicId: 0, keywords: ['margin'], keywordScores: [1], embedding: unit(1, 0)},
  {topicId: 1, keywords: ['tariff'], keywordScores: [1], embedding: unit(0, 1)},
] as FirmTopic[]
const context: MeasureContext = {
  lexicon: parseLexicon('word,category\nstrong,positive\nweak,negative\nrisk,risk\n', 'test.csv'),
  taxonomy: {
    subjects: [
      {key: 'costs-and-margins', name: 'Margins', description: '', seedWords: ['margin']},
      {key: 'trade-and-geopolitics', name: 'Trade', description: '', seedWords: ['tariff']},
      {key: 'labor', name: 'Labor', description: '', seedWords: ['wage']},
    ],
    embeddings: [unit(1, 0), unit(0, 1), unit(Math.SQRT1_2, Math.SQRT1_2)],
    seeds: [new Set(['margin']), new Set(['tariff']), new Set(['wage'])],
    listings: new Map([['margin', 1], ['tariff', 1], ['wage', 1]]),
  },
  minSubjectScore: 0.2,
}

describe('measureFirm', () => {
  const measures = measureFirm(transcript, {sentences, assignments, topics}, context)

  it('places each sentence in its section and role and gives it its topic subject', () => {
    expect(measures.sentences.map((sentence) => `${sentence.role}/${sentence.section}/${sentence.subject}`)).toEqual([
      'management/presentation/costs-and-margins',
      'management/presentation/costs-and-margins',
      'analyst/qa/trade-and-geopolitics',
      'management/qa/trade-and-geopolitics',
      'management/qa/costs-and-margins',
      'management/qa/null',
    ])
  })

  it("gives each topic its shares of the call, of the presentation and of the Q&A, and who raised it first", () => {
    const margins = measures.topics.get(0)!
    expect(margins).toMatchObject({sentences: 3, sentenceShare: 3 / 6, presentationShare: 1, qaShare: 1 / 4, analystShare: 0, firstRole: 'management', firstSection: 'presentation'})
    expect(margins).toMatchObject({positive: 2, negative: 1, netTone: 1 / 3, riskSentences: 0, subject: 'costs-and-margins'})
    expect(margins.subjectScore).toBeGreaterThan(0.2)
    const tariffs = measures.topics.get(1)!
    expect(tariffs).toMatchObject({sentences: 2, presentationShare: 0, qaShare: 2 / 4, analystShare: 0.5, firstRole: 'analyst', firstSection: 'qa'})
    expect(tariffs).toMatchObject({positive: 0, negative: 1, netTone: -1, riskSentences: 1, subject: 'trade-and-geopolitics'})
    expect(margins.words + tariffs.words).toBe(measures.call.words - 4)
  })

  it("totals the whole call and each subject's share, adding up to at most 1", () => {
    expect(measures.call).toMatchObject({sentences: 6, presentationSentences: 2, qaSentences: 4, analystSentences: 1, managementSentences: 5, qaRule: 'first_analyst'})
    expect(measures.call.subjects).toEqual(['costs-and-margins', 'trade-and-geopolitics', 'labor'])
    expect(measures.call.subjectShares).toEqual([3 / 6, 2 / 6, 0])
  })
})
