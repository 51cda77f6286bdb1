import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {builtinLexicons, combineLexicons, parseLexicon} from '../../../../src/pipeline/measures/lexicon.js'
import {countTone, netTone} from '../../../../src/pipeline/measures/tone.js'

const masterFile = 'fixtures/lexicons/loughran-mcdonald-master-sample.csv'
const master = combineLexicons(builtinLexicons(), [parseLexicon(readFileSync(masterFile, 'utf8'), masterFile)])

// Counted by hand with the master-dictionary sample (positive: strong, stronger, improved, gain; negative: decline,
// declined, loss, weak, uncertain, lawsuit; uncertainty: may, approximately, uncertain; litigious: litigation,
// lawsuit; constraining: required, covenant) and the built-in risk synonyms.
const handCounts: [string, {words: number; positive?: number; negative?: number; uncertainty?: number; litigious?: number; constraining?: number; risk?: boolean}][] = [
  ['Demand was strong in every region.', {words: 6, positive: 1}],
  ['Margins were not strong this quarter.', {words: 6, negative: 1}],
  ['Sales declined and the loss widened.', {words: 6, negative: 2}],
  ['We may see approximately two more quarters of uncertain demand.', {words: 10, negative: 1, uncertainty: 3, risk: true}],
  ['The lawsuit and the litigation remain open.', {words: 7, negative: 1, litigious: 2}],
  ['Our covenant is required by the lenders.', {words: 7, constraining: 2}],
  ['Currency volatility is a risk to the outlook.', {words: 8, risk: true}],
  ['Results improved, and we never had a stronger gain.', {words: 9, positive: 2, negative: 1}],
  ["It isn't weak, and it wasn't strong either.", {words: 8, negative: 2}],
  ['The boom in orders continued.', {words: 5}],
  ['Headwinds in Europe were stronger than we expected.', {words: 8, positive: 1, risk: true}],
  ['Thank you, operator.', {words: 3}],
  ['We must keep costs down.', {words: 5}],
  ['No decline is expected, and the risks are manageable.', {words: 9, negative: 1, risk: true}],
  ['Gross margin gained 120 basis points.', {words: 5}],
  ['Nobody expected such strong results.', {words: 5, negative: 1}],
  ["We don\u2019t doubt that demand is strong.", {words: 7, positive: 1, risk: true}],
  ['Approximately half of the decline was required by the covenant.', {words: 10, negative: 1, uncertainty: 1, constraining: 2, risk: true}],
  ['Litigation risk may be uncertain.', {words: 5, negative: 1, uncertainty: 2, litigious: 1, risk: true}],
  ['A weak, weak quarter.', {words: 4, negative: 2}],
]

describe('countTone', () => {
  it.each(handCounts)('matches the hand count of "%s"', (sentence, expected) => {
    expect(countTone(sentence, master)).toEqual({positive: 0, negative: 0, uncertainty: 0, litigious: 0, constraining: 0, risk: false, ...expected})
  })

  it('counts with the AFINN financial-market-news tone when no user lexicon gives tone', () => {
    const builtin = combineLexicons(builtinLexicons(), [])
    expect(countTone('Strong growth offset the loss.', builtin)).toMatchObject({positive: 2, negative: 1, risk: false})
    expect(countTone('Growth was not strong.', builtin)).toMatchObject({positive: 1, negative: 1})
  })

  it('gives the net tone of counts, and none without tone words', () => {
    expect(netTone(3, 1)).toBe(0.5)
    expect(netTone(0, 2)).toBe(-1)
    expect(netTone(0, 0)).toBeNull()
  })
})
