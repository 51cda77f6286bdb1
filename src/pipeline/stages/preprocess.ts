import {createRequire} from 'node:module'
import type {FirmTranscript} from '../../sources/transcript-source.js'
import {isPersonName, personNameWords} from './person-names.js'

const require = createRequire(import.meta.url)

/** A sentence kept for modeling, with its provenance. */
export interface PreparedSentence {
  /** Position among the firm's kept sentences. */
  index: number
  componentOrder: number
  /** Position of the sentence inside its component, before any was dropped. */
  sentenceInComponent: number
  speakerType: string
  /** The raw sentence: embedded and written out. */
  text: string
  /** Cleaned terms for keywords: lowercase lemmas without stop words, numbers, dates, money, percents or person names. */
  terms: string[]
}

export interface PreprocessOptions {
  dropOperator: boolean
  dropSafeHarbor: boolean
}

/** Entity types whose tokens never become keywords. */
const droppedEntities = new Set(['DATE', 'TIME', 'DURATION', 'MONEY', 'PERCENT', 'ORDINAL', 'CARDINAL', 'EMAIL', 'URL', 'MENTION', 'HASHTAG'])

/** Words too common in earnings calls to say anything about a topic. */
const callStopWords = new Set([
  'thank', 'thanks', 'question', 'questions', 'quarter', 'year', 'yeah', 'okay', 'ok', 'think', 'guy', 'lot', 'bit',
  'really', 'kind', 'sort', 'just', 'know', 'going', 'go', 'get', 'say', 'morning', 'afternoon', 'everyone', 'hi',
  'hello', 'great', 'good', 'sure', 'maybe', 'actually', 'obviously', 'like', 'look', 'want', 'thing', 'things',
  'little', 'way', 'mean', 'right', 'well', 'also', 'us', 'please', 'line', 'call', 'today', 'time', 'period',
])

/** Lemmas the lemmatizer gets wrong for business text. */
const lemmaFixes: Record<string, string> = {datum: 'data', medium: 'media', saas: 'saas'}

const safeHarborPatterns = [
  /forward[- ]looking (statement|information)/i,
  /safe harbou?r/i,
  /actual results (may|could|might) differ/i,
  /risks? and uncertaint/i,
  /risk factors/i,
  /non-gaap/i,
  /undertake no (obligation|duty)/i,
  /(10-k|10-q|8-k)\b/i,
]

type Nlp = {
  readDoc(text: string): {sentences(): {each(callback: (sentence: WinkSentence) => void): void}}
  its: Record<string, unknown>
}
type WinkToken = {out(property?: unknown): string; parentEntity(): {out(property?: unknown): string} | undefined}
type WinkSentence = {out(): string; tokens(): {each(callback: (token: WinkToken) => void): void}}

let loadedNlp: Nlp | undefined

/** wink-nlp with its English model, loaded once per process. */
function nlp(): Nlp {
  if (!loadedNlp) {
    const winkNlp = require('wink-nlp') as (model: unknown) => Nlp
    loadedNlp = winkNlp(require('wink-eng-lite-web-model'))
  }
  return loadedNlp
}

/** True when a sentence is safe-harbor or forward-looking-statement boilerplate. */
export function isBoilerplate(sentence: string): boolean {
  return safeHarborPatterns.some((pattern) => pattern.test(sentence))
}

/** Splits a firm's call into sentences, drops operator turns and boilerplate, and cleans each sentence for keywords. */
export function preprocess(transcript: FirmTranscript, options: PreprocessOptions): PreparedSentence[] {
  const {its} = nlp()
  const sentences: PreparedSentence[] = []
  const nameWords = personNameWords(transcript)
  for (const component of transcript.components) {
    if (options.dropOperator && /^operator$/i.test(component.speakerType)) continue
    const split: {text: string; terms: string[]}[] = []
    nlp()
      .readDoc(component.text)
      .sentences()
      .each((sentence) => {
        const terms: string[] = []
        sentence.tokens().each((token) => {
          if (token.out(its.type) !== 'word') return
          if (token.out(its.stopWordFlag) as unknown as boolean) return
          const entity = token.parentEntity()
          if (entity && droppedEntities.has(entity.out(its.type))) return
          if (isPersonName(token.out(), nameWords)) return
          let lemma = token.out(its.lemma).toLowerCase()
          lemma = lemmaFixes[lemma] ?? lemma
          if (lemma.length < 2 || callStopWords.has(lemma) || !/[a-z]/.test(lemma) || /\d/.test(lemma)) return
          terms.push(lemma)
        })
        split.push({text: sentence.out().trim(), terms})
      })
    const boilerplate = split.map((sentence) => options.dropSafeHarbor && isBoilerplate(sentence.text))
    // A turn with several boilerplate sentences is the safe-harbor statement: drop all of it.
    const wholeTurnIsBoilerplate = boilerplate.filter(Boolean).length >= 2
    split.forEach((sentence, sentenceInComponent) => {
      if (wholeTurnIsBoilerplate || boilerplate[sentenceInComponent] || sentence.terms.length < 2) return
      sentences.push({
        index: sentences.length,
        componentOrder: component.componentOrder,
        sentenceInComponent,
        speakerType: component.speakerType,
        text: sentence.text,
        terms: sentence.terms,
      })
    })
  }
  return sentences
}
