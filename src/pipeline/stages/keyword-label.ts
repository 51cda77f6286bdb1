/**
 * A short label from a topic's keywords, best first: up to `size` terms, where a phrase ("supply chain") takes the
 * place of its own words ("supply", "chain") and a word already inside a chosen phrase is skipped,
 * e.g. "supply chain, component, freight".
 */
export function keywordLabel(keywords: readonly string[], size = 3): string {
  const chosen: string[] = []
  for (const keyword of keywords) {
    const words = keyword.split(' ')
    if (words.length === 1) {
      if (chosen.length < size && !chosen.some((phrase) => phrase.split(' ').includes(keyword))) chosen.push(keyword)
      continue
    }
    const coveredByPhrases = words.every((word) => chosen.some((phrase) => phrase.includes(' ') && phrase.split(' ').includes(word)))
    if (coveredByPhrases) continue
    const kept = chosen.filter((term) => term.includes(' ') || !words.includes(term))
    if (kept.length >= size) continue
    chosen.splice(0, chosen.length, ...kept, keyword)
  }
  return chosen.slice(0, size).join(', ')
}
