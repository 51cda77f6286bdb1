import {getHeapStatistics} from 'node:v8'
import {UserError} from '../../base/errors.js'

/**
 * JavaScript heap the reduce needs per topic, with room to spare. ftm's UMAP and HDBSCAN keep their graphs and
 * layouts in typed arrays (outside the heap); the topic records and the reduced rows are what the heap holds.
 * Measured on the 5000-firm benchmark quarter (bench/themes-scale.ts): 137,020 topics cluster within 0.77 GiB of
 * peak RSS, 66 MiB of it heap, so 8 kB per topic (1.0 GiB for that quarter) lets it through a default 4 GiB heap.
 */
export const themesBytesPerTopic = 8_000

/**
 * Fails before the clustering starts when a quarter has more topics than this worker's heap can cluster, instead
 * of running out of memory minutes later; the message names the size and the ways out.
 */
export function checkThemesMemory(topics: number, runId: string, heapLimitBytes = getHeapStatistics().heap_size_limit): void {
  const needed = topics * themesBytesPerTopic
  if (needed <= heapLimitBytes * 0.9) return
  const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1)
  const megabytes = Math.ceil((needed * 1.2) / 2 ** 20 / 1024) * 1024
  throw new UserError(
    `Themes over ${topics.toLocaleString('en-US')} topics need about ${gib(needed)} GiB of memory; this worker's JavaScript heap holds ${gib(heapLimitBytes)} GiB.`,
    `Run the reduce where that much memory is free, with a larger heap: NODE_OPTIONS=--max-old-space-size=${megabytes} ftm themes --run ${runId} ` +
      '(on Batch, a job definition with that memory and NODE_OPTIONS). The run\'s firm topics stay as they are. Fewer, coarser ' +
      'topics per firm also fit, but need a new `ftm run`, e.g. with --set pipeline.hdbscan.selection=eom --set pipeline.hdbscan.minClusterSize=10.',
  )
}
