import {hdbscan} from '../hdbscan/index.js'
import {reduceDimensions} from '../stages/reduce.js'
import type {ThemesConfig} from '../../core/config/themes-schema.js'

/**
 * Clusters topic embeddings into candidate themes: UMAP (cosine) then HDBSCAN; −1 marks topics in no theme.
 * Small inputs: fewer than `minTopics` topics give no themes, and the smallest theme size is capped at a quarter of
 * the topics (at least 2) so a small quarter can still form themes.
 */
export async function clusterThemes(embeddings: readonly Float32Array[], settings: ThemesConfig): Promise<Int32Array> {
  const count = embeddings.length
  if (count < settings.minTopics) return new Int32Array(count).fill(-1)
  const reduced = await reduceDimensions(embeddings, settings.umap)
  const minClusterSize = Math.max(2, Math.min(settings.hdbscan.minClusterSize, Math.floor(count / 4)))
  const minSamples = Math.min(settings.hdbscan.minSamples, minClusterSize)
  return hdbscan(reduced, {minClusterSize, minSamples, selection: settings.hdbscan.selection}).labels
}
