/**
 * Smooths topic assignments along the call: each sentence takes the topic most of its neighbours within `window`
 * sentences of the same context group share (itself included; ties keep its own topic, then the lower topic id).
 * Outliers (−1) do not vote, so an outlier among clustered neighbours joins them, and a topic change that lasts
 * longer than the window stays. Reads the input assignment only, so the result does not depend on sentence order
 * of processing. Window 0 returns a copy.
 */
export function smoothTopics(assignments: Int32Array, groups: readonly number[], window: number): Int32Array {
  const result = Int32Array.from(assignments)
  if (window === 0) return result
  for (let index = 0; index < assignments.length; index++) {
    const votes = new Map<number, number>()
    for (let other = Math.max(0, index - window); other <= Math.min(assignments.length - 1, index + window); other++) {
      const topic = assignments[other]!
      if (topic >= 0 && groups[other] === groups[index]) votes.set(topic, (votes.get(topic) ?? 0) + 1)
    }
    const own = assignments[index]!
    let best = own
    let bestVotes = own >= 0 ? (votes.get(own) ?? 0) : 0
    for (const [topic, count] of [...votes.entries()].sort((a, b) => a[0] - b[0])) {
      if (count > bestVotes) {
        best = topic
        bestVotes = count
      }
    }
    result[index] = best
  }
  return result
}
