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
  /** Whether each term stood right after the previous one in the sentence (no word or mark dropped between). */
  followsPrevious: boolean[]
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
  'hey', 'chief', 'officer', 'congrats', 'congratulations',
])

/** Lemmas the lemmatizer gets wrong for business text. */
const lemmaFixes: Record<string, string> = {datum: 'data', medium: 'media', saas: 'saas'}

/**
 * The safe-harbor statement's own phrasing. A sentence that merely reports a non-GAAP figure or gives guidance is
 * not boilerplate: only the statement (forward-looking statements, risk factors, the reconciliation notice) is.
 */
const safeHarborPatterns = [
  /forward[- ]looking (statement|information)/i,
  /safe harbou?r/i,
  /actual results (may|could|might|will) differ/i,
  /subject to (a number of |various |certain )?risks/i,
  /risk factors/i,
  /undertakes? no (obligation|duty)/i,
  /reconciliations? (of|to|between|with)\b/i,
  /(most )?(directly )?comparable gaap (financial )?measure/i,
  /\b(10-k|10-q|8-k)\b/i,
]

/** A verb form ending in -ing or -ed that reads better as it is written before a noun ("existing customer"). */
const participle = /(ing|ed)$/

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
    const split: CleanedSentence[] = []
    nlp()
      .readDoc(component.text)
      .sentences()
      .each((sentence) => split.push(cleanSentence(sentence, its, nameWords)))
    const boilerplate = boilerplateSpan(split.map((sentence) => options.dropSafeHarbor && isBoilerplate(sentence.text)))
    split.forEach((sentence, sentenceInComponent) => {
      if (boilerplate[sentenceInComponent] || sentence.terms.length < 2) return
      sentences.push({
        index: sentences.length,
        componentOrder: component.componentOrder,
        sentenceInComponent,
        speakerType: component.speakerType,
        text: sentence.text,
        terms: sentence.terms,
        followsPrevious: sentence.followsPrevious,
      })
    })
  }
  return sentences
}

interface CleanedSentence {
  text: string
  terms: string[]
  followsPrevious: boolean[]
}

/** A sentence's keyword terms, and which of them stood next to the term before (so n-grams join neighbours only). */
function cleanSentence(sentence: WinkSentence, its: Nlp['its'], nameWords: ReadonlySet<string>): CleanedSentence {
  const tokens: {text: string; type: string; pos: string; lemma: string; kept: boolean}[] = []
  sentence.tokens().each((token) => {
    const text = token.out()
    const type = token.out(its.type)
    const entity = token.parentEntity()
    const kept =
      type === 'word' &&
      !(token.out(its.stopWordFlag) as unknown as boolean) &&
      !(entity && droppedEntities.has(entity.out(its.type))) &&
      !isPersonName(text, nameWords)
    tokens.push({text: text.toLowerCase(), type, pos: token.out(its.pos), lemma: token.out(its.lemma).toLowerCase(), kept})
  })
  const terms: string[] = []
  const followsPrevious: boolean[] = []
  let previousKept = -2
  tokens.forEach((token, position) => {
    if (!token.kept) return
    const next = tokens[position + 1]
    // "existing customer", "operating margin": a participle before a noun keeps its written form.
    const readable = token.pos === 'VERB' && participle.test(token.text) && next?.kept && next.pos === 'NOUN' ? token.text : token.lemma
    const term = lemmaFixes[readable] ?? readable
    if (term.length < 2 || callStopWords.has(term) || !/^[a-z][a-z&.-]*$/.test(term) || callStopWords.has(token.lemma)) return
    followsPrevious.push(previousKept === position - 1)
    terms.push(term)
    previousKept = position
  })
  return {text: sentence.out().trim(), terms, followsPrevious}
}

/**
 * Which sentences of a turn to drop as boilerplate: each matching sentence, and where a turn holds several, the
 * statement between the first and the last of them (its unmatched middle sentences); results after it stay.
 */
export function boilerplateSpan(matches: readonly boolean[]): boolean[] {
  const first = matches.indexOf(true)
  const last = matches.lastIndexOf(true)
  if (first < 0 || first === last) return [...matches]
  return matches.map((match, index) => match || (index > first && index < last))
}
