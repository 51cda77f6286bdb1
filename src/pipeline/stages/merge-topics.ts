import {normalize} from '../embedding/embedder.js'

/**
 * Merges near-duplicate topics, as BERTopic's topic reduction does with topic embeddings: while the two most
 * similar topics (cosine of their unit mean embeddings) reach `threshold`, the smaller joins the larger (ties:
 * the lower id survives) and the merged mean is recomputed. Outliers stay −1. A threshold above 1 merges nothing.
 */
export function mergeTopics(assignments: Int32Array, embeddings: readonly Float32Array[], threshold: number): Int32Array {
  const result = Int32Array.from(assignments)
  if (threshold > 1 || embeddings.length === 0) return result
  const dimensions = embeddings[0]!.length
  const sums = new Map<number, {sum: Float64Array; size: number}>()
  result.forEach((topic, index) => {
    if (topic < 0) return
    const entry = sums.get(topic) ?? {sum: new Float64Array(dimensions), size: 0}
    embeddings[index]!.forEach((value, dimension) => (entry.sum[dimension]! += value))
    entry.size++
    sums.set(topic, entry)
  })
  const unit = (sum: Float64Array): Float32Array => normalize(Float32Array.from(sum))
  for (;;) {
    const topics = [...sums.keys()].sort((a, b) => a - b)
    const units = new Map(topics.map((topic) => [topic, unit(sums.get(topic)!.sum)]))
    let best: [number, number] | undefined
    let bestSimilarity = threshold
    for (let a = 0; a < topics.length; a++) {
      for (let b = a + 1; b < topics.length; b++) {
        const left = units.get(topics[a]!)!
        const right = units.get(topics[b]!)!
        let dot = 0
        for (let dimension = 0; dimension < dimensions; dimension++) dot += left[dimension]! * right[dimension]!
        if (dot >= bestSimilarity && (!best || dot > bestSimilarity)) {
          best = [topics[a]!, topics[b]!]
          bestSimilarity = dot
        }
      }
    }
    if (!best) return result
    const [first, second] = best
    const [keep, drop] = sums.get(second)!.size > sums.get(first)!.size ? [second, first] : [first, second]
    const kept = sums.get(keep)!
    const dropped = sums.get(drop)!
    dropped.sum.forEach((value, dimension) => (kept.sum[dimension]! += value))
    kept.size += dropped.size
    sums.delete(drop)
    result.forEach((topic, index) => topic === drop && (result[index] = keep))
  }
}
