import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {UserError} from '../../../../src/base/errors.js'
import {afinnLexicon, builtinLexicons, combineLexicons, parseLexicon} from '../../../../src/pipeline/measures/lexicon.js'

const masterFile = 'fixtures/lexicons/loughran-mcdonald-master-sample.csv'

describe('parseLexicon', () => {
  it('reads word,category rows, lowercase, a word in several categories', () => {
    const lexicon = parseLexicon('word,category\nTariff,risk\ntariff,trade\nboost,positive\n', 'mine.csv')
    expect([...lexicon.get('tariff')!]).toEqual(['risk', 'trade'])
    expect([...lexicon.get('boost')!]).toEqual(['positive'])
  })

  it("reads the Loughran-McDonald master dictionary's columns: a positive year is in, 0 out, a negative year removed", () => {
    const lexicon = parseLexicon(readFileSync(masterFile, 'utf8'), masterFile)
    expect([...lexicon.get('weak')!].sort()).toEqual(['negative', 'weak_modal'])
    expect([...lexicon.get('uncertain')!].sort()).toEqual(['negative', 'uncertainty'])
    expect([...lexicon.get('lawsuit')!].sort()).toEqual(['litigious', 'negative'])
    expect([...lexicon.get('must')!]).toEqual(['strong_modal'])
    expect(lexicon.has('boom')).toBe(false)
    expect(lexicon.size).toBe(16)
  })

  it('names the columns it needs when a file has neither shape', () => {
    expect(() => parseLexicon('term,score\ngood,1\n', 'scores.csv')).toThrow(UserError)
    expect(() => parseLexicon('term,score\ngood,1\n', 'scores.csv')).toThrow(/neither word,category columns.*term, score/)
  })
})

describe('combineLexicons', () => {
  it('replaces the built-in words of each category a user file gives and keeps the others', () => {
    const user = parseLexicon(readFileSync(masterFile, 'utf8'), masterFile)
    const combined = combineLexicons(builtinLexicons(), [user])
    expect(combined.has('growth')).toBe(false) // AFINN's positive word, replaced by the dictionary's positives
    expect([...combined.get('strong')!]).toEqual(['positive'])
    expect([...combined.get('headwinds')!]).toEqual(['risk']) // built-in risk synonyms stay
  })

  it('maps AFINN scores above 0 to positive and below 0 to negative, skipping phrases', () => {
    const afinn = afinnLexicon()
    expect([...afinn.get('growth')!]).toEqual(['positive'])
    expect([...afinn.get('loss')!]).toEqual(['negative'])
    expect(afinn.has('not good')).toBe(false)
  })
})
