import {describe, expect, it} from 'vitest'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {ngrams} from '../../../../src/pipeline/stages/class-tfidf.js'
import {boilerplateSpan, preprocess} from '../../../../src/pipeline/stages/preprocess.js'
import type {FirmTranscript} from '../../../../src/sources/transcript-source.js'

const call = (components: [string, string][]): FirmTranscript => ({
  firmId: '1',
  firmName: 'Test Firm',
  transcriptId: '9',
  callDate: '2024-02-01T00:00:00.000Z',
  components: components.map(([speakerType, text], componentOrder) => ({componentOrder, speakerType, text})),
})
const texts = (transcript: FirmTranscript): string[] => preprocess(transcript, defaultConfig.pipeline).map((sentence) => sentence.text)
const bigrams = (text: string): string[] => {
  const [sentence] = preprocess(call([['Executives', text]]), defaultConfig.pipeline)
  return ngrams(sentence!.terms, 2, sentence!.followsPrevious).filter((term) => term.includes(' '))
}

describe('the safe-harbor filter', () => {
  it("keeps a CFO's non-GAAP results and guidance, even two in one turn", () => {
    const results = 'Non-GAAP gross margin was 62.4%, up 70 basis points. We expect non-GAAP earnings per share of $1.00 to $1.08 next quarter.'
    expect(texts(call([['Executives', results]]))).toHaveLength(2)
  })

  it("drops the statement in the boilerplate's own phrasing, its unmatched middle sentences too, and keeps the results after it", () => {
    const turn = [
      'During this call we will make forward-looking statements about our plans.',
      'These statements reflect our current views.',
      'Actual results may differ materially, and we encourage you to review the risk factors in our 10-K.',
      'A reconciliation of non-GAAP measures to the comparable GAAP measures is in our press release.',
      'Revenue for the quarter grew 22% on strong data center demand.',
    ].join(' ')
    expect(texts(call([['Executives', turn]]))).toEqual(['Revenue for the quarter grew 22% on strong data center demand.'])
  })

  it('spans the statement between its first and last matched sentences', () => {
    expect(boilerplateSpan([false, true, false, true, false])).toEqual([false, true, true, true, false])
    expect(boilerplateSpan([false, true, false])).toEqual([false, true, false])
  })
})

describe('keyword terms', () => {
  it('joins only words that stand next to each other: no "gigawatts gigawatts", no "sign pay"', () => {
    expect(bigrams('Our backlog reached 6.8 gigawatts, up from 4.5 gigawatts.')).not.toContain('gigawatts gigawatts')
    expect(bigrams('We are signing up 1.3 million paid members every quarter.')).not.toContain('sign pay')
    expect(bigrams('Supply chain costs eased.')).toContain('supply chain')
  })

  it('keeps participles readable before a noun and drops possessive and contraction pieces', () => {
    const [sentence] = preprocess(call([['Executives', "The company's existing customers lifted operating margin, and we don't see churn."]]), defaultConfig.pipeline)
    expect(sentence!.terms).toContain('existing')
    expect(sentence!.terms).toContain('operating')
    expect(sentence!.terms.some((term) => term.includes("'"))).toBe(false)
    expect(ngrams(sentence!.terms, 2, sentence!.followsPrevious)).toEqual(expect.arrayContaining(['existing customer', 'operating margin']))
  })
})
