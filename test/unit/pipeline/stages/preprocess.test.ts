import {describe, expect, it} from 'vitest'
import {preprocess} from '../../../../src/pipeline/stages/preprocess.js'
import type {FirmTranscript} from '../../../../src/sources/transcript-source.js'

const transcript = (components: [string, string][]): FirmTranscript => ({
  firmId: '1',
  firmName: 'Test Firm',
  transcriptId: '9',
  callDate: '2024-02-01T00:00:00.000Z',
  components: components.map(([speakerType, text], componentOrder) => ({componentOrder, speakerType, text})),
})

const options = {dropOperator: true, dropSafeHarbor: true}

describe('preprocess', () => {
  it('drops operator turns and the safe-harbor statement', () => {
    const sentences = preprocess(
      transcript([
        ['Operator', 'Good day and welcome to the Test Firm earnings conference call.'],
        [
          'Executives',
          'Today we will make forward-looking statements. Actual results may differ materially due to risks and uncertainties. Please see our 10-K.',
        ],
        ['Executives', 'Cloud revenue accelerated as enterprise customers migrated workloads.'],
      ]),
      options,
    )
    expect(sentences.map((sentence) => sentence.text)).toEqual(['Cloud revenue accelerated as enterprise customers migrated workloads.'])
    expect(sentences[0]).toMatchObject({index: 0, componentOrder: 2, sentenceInComponent: 0, speakerType: 'Executives'})
  })

  it('keeps the raw sentence and cleans terms: lemmas, no stop words, numbers, money, percents or dates', () => {
    const [sentence] = preprocess(transcript([['Executives', 'Revenue grew 12% to $4.2 billion in the third quarter of 2024 on strong data center demand.']]), options)
    expect(sentence!.text).toBe('Revenue grew 12% to $4.2 billion in the third quarter of 2024 on strong data center demand.')
    expect(sentence!.terms).toEqual(['revenue', 'grow', 'strong', 'data', 'center', 'demand'])
  })

  it('drops sentences left with fewer than two terms and counts positions within the turn', () => {
    const sentences = preprocess(transcript([['Analysts', 'Thanks. Can you talk about pricing pressure in Europe? Great.']]), options)
    expect(sentences.map((sentence) => [sentence.sentenceInComponent, sentence.terms])).toEqual([[1, ['talk', 'pricing', 'pressure', 'europe']]])
  })

  it('keeps operator turns and boilerplate when asked to', () => {
    const sentences = preprocess(transcript([['Operator', 'Our first question comes from the line of Jane Doe on European pricing.']]), {dropOperator: false, dropSafeHarbor: false})
    expect(sentences).toHaveLength(1)
    // The analyst's name is not a keyword.
    expect(sentences[0]!.terms).not.toContain('jane')
  })
})
