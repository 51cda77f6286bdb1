/**
 * Purity of each found topic against the true labels: the share of its sentences that carry its most common true
 * label. Topics are the predicted labels ≥ 0, in ascending order; outliers (−1)
 * are no topic. Returns one purity per topic.
 */
export function topicPurities(truth: readonly string[], predicted: ArrayLike<number>): number[] {
  const members = new Map<number, Map<string, number>>()
  for (let index = 0; index < truth.length; index++) {
    const topic = predicted[index]!
    if (topic < 0) continue
    const counts = members.get(topic) ?? new Map<string, number>()
    counts.set(truth[index]!, (counts.get(truth[index]!) ?? 0) + 1)
    members.set(topic, counts)
  }
  return [...members.keys()]
    .sort((a, b) => a - b)
    .map((topic) => {
      const counts = [...members.get(topic)!.values()]
      return Math.max(...counts) / counts.reduce((sum, count) => sum + count, 0)
    })
}
