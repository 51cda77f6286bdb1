// The settings bench/quality.ts compares: the earlier defaults, and the sweep the defaults were chosen from.
import type {PipelineConfig} from '../src/core/config/schema.js'

/** The defaults before issue 17: word vectors of the raw text, context 1 × 0.5 in the turn, leaf 6/2 fixed, outliers kept. */
export function earlierDefaults(base: PipelineConfig): PipelineConfig {
  return {
    ...base,
    embedding: {...base.embedding, backend: 'word-vectors', input: 'text', contextScope: 'turn', contextWindow: 1, contextWeight: 0.5},
    hdbscan: {minClusterSize: 6, minSamples: 2, minClusterShare: 0, minSamplesShare: 0, selection: 'leaf'},
    outliers: {strategy: 'none', threshold: 0},
    mergeThreshold: 1.01,
    smoothWindow: 0,
    keywords: {...base.keywords, background: 0},
  }
}

type Change = Partial<Omit<PipelineConfig, 'embedding' | 'hdbscan' | 'outliers'>> & {
  embedding?: Partial<PipelineConfig['embedding']>
  hdbscan?: Partial<PipelineConfig['hdbscan']>
  outliers?: Partial<PipelineConfig['outliers']>
}

/** The defaults with one change. */
function changed(base: PipelineConfig, change: Change): PipelineConfig {
  return {
    ...base,
    ...change,
    embedding: {...base.embedding, ...change.embedding},
    hdbscan: {...base.hdbscan, ...change.hdbscan},
    outliers: {...base.outliers, ...change.outliers},
  }
}

/** The rows, then the defaults and each of their choices changed one at a time. */
export function sweepSettings(base: PipelineConfig): [string, PipelineConfig][] {
  const earlier = earlierDefaults(base)
  const fixed = {minClusterShare: 0, minSamplesShare: 0}
  return [
    ['earlier defaults: word-vectors, text, turn context 1 × 0.5, leaf 6/2, outliers kept', earlier],
    ['earlier, eom 10/10', changed(earlier, {hdbscan: {selection: 'eom', minClusterSize: 10, minSamples: 10}})],
    ['earlier, context 2 × 1', changed(earlier, {embedding: {contextWindow: 2, contextWeight: 1}})],
    ['earlier, tfidf-svd, context 2 × 1', changed(earlier, {embedding: {backend: 'tfidf-svd', contextWindow: 2, contextWeight: 1}})],
    ['**defaults**', base],
    ['defaults, tfidf-svd', changed(base, {embedding: {backend: 'tfidf-svd'}})],
    ['defaults, hybrid', changed(base, {embedding: {backend: 'hybrid'}})],
    ['defaults, embed the raw text', changed(base, {embedding: {input: 'text'}})],
    ['defaults, context within the turn', changed(base, {embedding: {contextScope: 'turn'}})],
    ['defaults, context 1 × 0.5', changed(base, {embedding: {contextWindow: 1, contextWeight: 0.5}})],
    ['defaults, context 3 × 1', changed(base, {embedding: {contextWindow: 3}})],
    ['defaults, context 2 × 2', changed(base, {embedding: {contextWeight: 2}})],
    ['defaults, eom (scaled sizes)', changed(base, {hdbscan: {selection: 'eom'}})],
    ['defaults, eom 0.06/0.02 of sentences', changed(base, {hdbscan: {selection: 'eom', minClusterShare: 0.06, minSamplesShare: 0.02}})],
    ['defaults, leaf 0.06/0.02 of sentences', changed(base, {hdbscan: {minClusterShare: 0.06, minSamplesShare: 0.02}})],
    ['defaults, leaf 6/2 fixed (no scaling)', changed(base, {hdbscan: fixed})],
    ['defaults, eom 10/10 fixed', changed(base, {hdbscan: {...fixed, selection: 'eom', minClusterSize: 10, minSamples: 10}})],
    ['defaults, outliers kept', changed(base, {outliers: {strategy: 'none'}})],
    ['defaults, outliers by embeddings ≥ 0.3', changed(base, {outliers: {strategy: 'embeddings', threshold: 0.3}})],
    ['defaults, outliers by c-tf-idf ≥ 0.2', changed(base, {outliers: {threshold: 0.2}})],
    ['defaults, outliers by embeddings ≥ 0.5', changed(base, {outliers: {strategy: 'embeddings', threshold: 0.5}})],
    ['defaults, no merging', changed(base, {mergeThreshold: 1.01})],
    ['defaults, merge ≥ 0.4', changed(base, {mergeThreshold: 0.4})],
    ['defaults, no smoothing', changed(base, {smoothWindow: 0})],
    ['defaults, smoothing 3', changed(base, {smoothWindow: 3})],
    ['defaults, spectral clustering (eigengap), word vectors', changed(base, {clustering: 'spectral'})],
    ['**spectral-topics profile**: spectral clustering, hybrid, no smoothing', changed(base, {clustering: 'spectral', embedding: {backend: 'hybrid'}, smoothWindow: 0})],
    ['spectral-topics, with smoothing 2', changed(base, {clustering: 'spectral', embedding: {backend: 'hybrid'}})],
    ['spectral-topics, 10 neighbours', changed(base, {clustering: 'spectral', embedding: {backend: 'hybrid'}, smoothWindow: 0, spectral: {...base.spectral, neighbours: 10}})],
    ['defaults, no keyword background', changed(base, {keywords: {...base.keywords, background: 0}})],
    ['defaults, keyword background 2', changed(base, {keywords: {...base.keywords, background: 2}})],
  ]
}
