import {chunkKey} from '../../src/core/layout.js'
import {ParquetWriter} from '../../src/pipeline/output/parquet-writer.js'
import type {TableRow} from '../../src/pipeline/output/table-columns.js'
import type {Storage} from '../../src/storage/storage.js'

/** A planted firm topic: which planted theme it is a noisy copy of. */
export interface PlantedTopic {
  firmId: string
  topicId: number
  theme: string
  embedding: Float32Array
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())
}

/** A random unit vector. */
export function unitVector(random: () => number, dimensions: number): Float32Array {
  const vector = Float32Array.from({length: dimensions}, () => gaussian(random))
  const norm = Math.hypot(...vector)
  return vector.map((value) => value / norm)
}

/** A noisy copy of a centre: centre + noise of the given norm, back to unit length. */
export function noisyCopy(random: () => number, centre: Float32Array, noise: number): Float32Array {
  const direction = unitVector(random, centre.length)
  const vector = centre.map((value, index) => value + noise * direction[index]!)
  const norm = Math.hypot(...vector)
  return vector.map((value) => value / norm)
}

/** Writes planted topics as one chunk of a run's quarter: topics, then (when `commit`) the committing firms file. */
export async function writeCommittedTopics(storage: Storage, runId: string, quarter: string, topics: readonly PlantedTopic[], partition = 0, commit = true): Promise<void> {
  const writer = await ParquetWriter.open()
  try {
    const topicRows: TableRow[] = topics.map((topic) => ({
      run_id: runId,
      quarter,
      firm_id: topic.firmId,
      firm_name: `Firm ${topic.firmId}`,
      topic_id: topic.topicId,
      label: `${topic.theme} topic`,
      label_source: 'keywords',
      keywords: [`${topic.theme}`, `${topic.theme} demand`, `${topic.firmId} product`],
      keyword_scores: [0.3, 0.2, 0.1],
      size: 10,
      representative_sentences: [0],
      embedding: Array.from(topic.embedding),
    }))
    const firms = [...new Set(topics.map((topic) => topic.firmId))]
    const firmRows: TableRow[] = firms.map((firmId) => ({run_id: runId, quarter, partition, firm_id: firmId, firm_name: `Firm ${firmId}`, status: 'ok'}))
    const chunk = {partition, chunk: 0}
    await storage.putFile(chunkKey('topics', quarter, runId, chunk), await writer.writeFile('topics', topicRows, `topics-${partition}.parquet`))
    if (commit) await storage.putFile(chunkKey('firms', quarter, runId, chunk), await writer.writeFile('firms', firmRows, `firms-${partition}.parquet`))
  } finally {
    await writer.close()
  }
}
