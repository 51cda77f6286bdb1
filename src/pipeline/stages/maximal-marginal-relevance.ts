import {cosineSimilarity} from './vectors.js'

/**
 * Maximal marginal relevance, as BERTopic's MaximalMarginalRelevance: picks `count` candidates, first the one most
 * similar to the topic, then each time the one maximising (1 − diversity)·sim(topic) − diversity·max sim(chosen).
 * Returns candidate indices in pick order; ties go to the lower index, so the result is deterministic.
 */
export function maximalMarginalRelevance(
  topic: ArrayLike<number>,
  candidates: readonly ArrayLike<number>[],
  count: number,
  diversity: number,
): number[] {
  const relevance = candidates.map((candidate) => cosineSimilarity(topic, candidate))
  const chosen: number[] = []
  const closestChosen = new Float64Array(candidates.length).fill(-Infinity)
  const remaining = new Set(candidates.keys())
  while (chosen.length < Math.min(count, candidates.length)) {
    let best = -1
    let bestScore = -Infinity
    for (const index of remaining) {
      const redundancy = chosen.length === 0 ? 0 : closestChosen[index]!
      const score = chosen.length === 0 ? relevance[index]! : (1 - diversity) * relevance[index]! - diversity * redundancy
      if (score > bestScore) {
        best = index
        bestScore = score
      }
    }
    chosen.push(best)
    remaining.delete(best)
    for (const index of remaining) closestChosen[index] = Math.max(closestChosen[index]!, cosineSimilarity(candidates[index]!, candidates[best]!))
  }
  return chosen
}
