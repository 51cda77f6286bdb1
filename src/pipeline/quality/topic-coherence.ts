/** gensim's ε in c_npmi. */
const epsilon = 1e-12

/**
 * NPMI coherence of topics on reference texts used as boolean windows (each text is one window: the corpus-free
 * variant of gensim's c_npmi, topic-model.md §6). For a pair, NPMI = ln((P(a,b)+ε)/(P(a)P(b))) / −ln(P(a,b)+ε),
 * P = share of windows containing the word(s); a topic scores the mean over its pairs, the model the mean over
 * topics. A keyword phrase ("supply chain") counts where all its words occur. Pairs with a word that never occurs
 * are skipped. Range [−1, 1]; NaN when no topic has a scorable pair.
 */
export function npmiCoherence(topics: readonly (readonly string[])[], windows: readonly (readonly string[])[]): number {
  const sets = windows.map((window) => new Set(window))
  const occurs = (keyword: string): Uint8Array => {
    const words = keyword.split(' ')
    return Uint8Array.from(sets, (set) => (words.every((word) => set.has(word)) ? 1 : 0))
  }
  const scores: number[] = []
  for (const keywords of topics) {
    const presence = keywords.map(occurs)
    const pairScores: number[] = []
    for (let left = 0; left < keywords.length; left++) {
      for (let right = left + 1; right < keywords.length; right++) {
        let a = 0
        let b = 0
        let both = 0
        for (let window = 0; window < sets.length; window++) {
          a += presence[left]![window]!
          b += presence[right]![window]!
          both += presence[left]![window]! & presence[right]![window]!
        }
        if (a === 0 || b === 0) continue
        const joint = both / sets.length
        const pmi = Math.log((joint + epsilon) / ((a / sets.length) * (b / sets.length)))
        pairScores.push(pmi / -Math.log(joint + epsilon))
      }
    }
    if (pairScores.length > 0) scores.push(pairScores.reduce((sum, score) => sum + score, 0) / pairScores.length)
  }
  return scores.length > 0 ? scores.reduce((sum, score) => sum + score, 0) / scores.length : Number.NaN
}

/** Topic diversity (OCTIS): unique words among every topic's top `k` / (k × topics). 1: no word is shared. */
export function topicDiversity(topics: readonly (readonly string[])[], k: number): number {
  if (topics.length === 0) return Number.NaN
  const unique = new Set(topics.flatMap((keywords) => keywords.slice(0, k)))
  return unique.size / (k * topics.length)
}
