import {callBackgroundSpread} from './call-background.js'

/**
 * How much a keyword's c-TF-IDF score keeps against the built-in call-language background: (1 − spread)^weight,
 * where spread is the share of topics (over many calls) that use the word; a phrase takes the geometric mean of its
 * words. Weight 0 keeps every score; words unknown to the background keep theirs.
 */
export function backgroundFactor(term: string, weight: number): number {
  if (weight === 0) return 1
  const words = term.split(' ')
  let product = 1
  for (const word of words) product *= (1 - (callBackgroundSpread.get(word) ?? 0)) ** weight
  return words.length === 1 ? product : product ** (1 / words.length)
}
