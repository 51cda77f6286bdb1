import type {Lexicon} from './lexicon.js'

/** The word counts of one sentence. */
export interface SentenceTone {
  words: number
  positive: number
  negative: number
  uncertainty: number
  litigious: number
  constraining: number
  /** True when the sentence has a risk or an uncertainty word. */
  risk: boolean
}

/** Loughran and McDonald's negation words; a word ending in n't negates too. */
const negations = new Set(['no', 'not', 'none', 'neither', 'never', 'nobody'])

/** How many words before a positive word a negation turns it negative (Loughran and McDonald: three). */
export const negationWindow = 3

const wordPattern = /[a-z]+(?:['-][a-z]+)*/g

/** The lowercase words of a sentence: letters with inner apostrophes or hyphens ("don't", "cost-cutting"). */
export function sentenceWords(text: string): string[] {
  return text.toLowerCase().replaceAll('\u2019', "'").match(wordPattern) ?? []
}

/**
 * Counts a sentence's lexicon words. Words match their form as written (the Loughran-McDonald and AFINN lists
 * carry each inflection, so nothing is lemmatized). A positive word with a negation among the three words before
 * it ("not strong", "never been better") counts as negative instead, as Loughran and McDonald prescribe; negated
 * negative words stay negative.
 */
export function countTone(text: string, lexicon: Lexicon): SentenceTone {
  const words = sentenceWords(text)
  const tone: SentenceTone = {words: words.length, positive: 0, negative: 0, uncertainty: 0, litigious: 0, constraining: 0, risk: false}
  words.forEach((word, index) => {
    const categories = lexicon.get(word)
    if (!categories) return
    if (categories.has('positive')) {
      if (negatedAt(words, index)) tone.negative++
      else tone.positive++
    }
    if (categories.has('negative')) tone.negative++
    if (categories.has('uncertainty')) tone.uncertainty++
    if (categories.has('litigious')) tone.litigious++
    if (categories.has('constraining')) tone.constraining++
    if (categories.has('risk') || categories.has('uncertainty')) tone.risk = true
  })
  return tone
}

function negatedAt(words: readonly string[], index: number): boolean {
  for (let before = Math.max(0, index - negationWindow); before < index; before++) {
    const word = words[before]!
    if (negations.has(word) || word.endsWith("n't")) return true
  }
  return false
}

/** Net tone: (positive − negative) / (positive + negative), or null when neither occurs. */
export function netTone(positive: number, negative: number): number | null {
  return positive + negative === 0 ? null : (positive - negative) / (positive + negative)
}
