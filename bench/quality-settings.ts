// The settings bench/quality.ts compares: the earlier defaults, and the sweep the defaults were chosen from.
import type {PipelineConfig} from '../src/core/config/schema.js'

type Hdbscan = PipelineConfig['hdbscan']
type Outliers = PipelineConfig['outliers']

/** The defaults before issue 17: word vectors, context 1 × 0.5, leaf 6/2 fixed, outliers kept, no background. */
export function earlierDefaults(base: PipelineConfig): PipelineConfig {
  return {
    ...base,
    embedding: {...base.embedding, backend: 'word-vectors', contextWindow: 1, contextWeight: 0.5},
    hdbscan: {minClusterSize: 6, minSamples: 2, minClusterShare: 0, minSamplesShare: 0, selection: 'leaf'},
    outliers: {strategy: 'none', threshold: 0},
    keywords: {...base.keywords, background: 0},
  }
}

const fixed = (selection: Hdbscan['selection'], minClusterSize: number, minSamples: number): Hdbscan => ({minClusterSize, minSamples, minClusterShare: 0, minSamplesShare: 0, selection})
const scaled = (selection: Hdbscan['selection'], minClusterShare: number, minSamplesShare: number): Hdbscan => ({minClusterSize: 6, minSamples: 2, minClusterShare, minSamplesShare, selection})

/** Named settings: embedding backend and context, HDBSCAN selection and sizes (fixed and scaled), outlier reassignment. */
export function sweepSettings(base: PipelineConfig): [string, PipelineConfig][] {
  const make = (backend: 'word-vectors' | 'tfidf-svd', contextWindow: number, contextWeight: number, hdbscan: Hdbscan, outliers: Outliers): [string, PipelineConfig] => {
    const sizes = hdbscan.minClusterShare > 0 ? `${hdbscan.minClusterShare}/${hdbscan.minSamplesShare} of sentences` : `${hdbscan.minClusterSize}/${hdbscan.minSamples}`
    const reassign = outliers.strategy === 'none' ? 'outliers kept' : `outliers by ${outliers.strategy} ≥ ${outliers.threshold}`
    return [`${backend}, context ${contextWindow} × ${contextWeight}, ${hdbscan.selection} ${sizes}, ${reassign}`, {...base, embedding: {...base.embedding, backend, contextWindow, contextWeight}, hdbscan, outliers}]
  }
  const none: Outliers = {strategy: 'none', threshold: 0}
  const rows: [string, PipelineConfig][] = []
  for (const backend of ['word-vectors', 'tfidf-svd'] as const) {
    for (const [window, weight] of [[1, 0.5], [2, 1], [3, 1]] as const) rows.push(make(backend, window, weight, fixed('leaf', 6, 2), none))
  }
  for (const backend of ['word-vectors', 'tfidf-svd'] as const) {
    for (const hdbscan of [fixed('eom', 10, 10), scaled('leaf', 0.05, 0.02), scaled('eom', 0.04, 0.01), scaled('eom', 0.06, 0.02), scaled('eom', 0.08, 0.02), scaled('leaf', 0.08, 0.02)]) {
      rows.push(make(backend, 2, 1, hdbscan, none))
    }
  }
  for (const outliers of [{strategy: 'embeddings', threshold: 0.2}, {strategy: 'embeddings', threshold: 0.4}, {strategy: 'c-tf-idf', threshold: 0.1}] as const) {
    rows.push(make('tfidf-svd', 2, 1, scaled('eom', 0.06, 0.02), outliers))
    rows.push(make('word-vectors', 2, 1, scaled('eom', 0.06, 0.02), outliers))
  }
  return rows
}
