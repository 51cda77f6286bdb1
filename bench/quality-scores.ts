// One firm's topic-quality scores against hand or planted labels, for bench/quality.ts.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import type {PipelineConfig} from '../src/core/config/schema.js'
import type {Embedder} from '../src/pipeline/embedding/embedder.js'
import {modelFirm} from '../src/pipeline/model-firm.js'
import {adjustedRandIndex} from '../src/pipeline/quality/adjusted-rand-index.js'
import {genericLabelShare} from '../src/pipeline/quality/generic-label.js'
import {normalizedMutualInformation} from '../src/pipeline/quality/normalized-mutual-information.js'
import {npmiCoherence, topicDiversity} from '../src/pipeline/quality/topic-coherence.js'
import {topicPurities} from '../src/pipeline/quality/topic-purity.js'
import {preprocess} from '../src/pipeline/stages/preprocess.js'
import {CsvSource} from '../src/sources/csv-source.js'
import type {FirmTranscript} from '../src/sources/transcript-source.js'

/** Calls with a true topic (and, for the hand-written corpus, a kind) per sentence. */
export interface LabelledCalls {
  name: string
  calls: FirmTranscript[]
  /** `transcriptid/componentorder/sentence_in_component` to topic ('none': no topic). */
  topics: Map<string, string>
  /** Same key to kind (result, guidance, boilerplate, pleasantry) where one is labelled. */
  kinds: Map<string, string>
}

/** Reads a folder's transcripts.csv and labels.csv (the generator's and the quality corpus's shape). */
export async function loadLabelledCalls(name: string, folder: string): Promise<LabelledCalls> {
  const topics = new Map<string, string>()
  const kinds = new Map<string, string>()
  for (const row of parse(readFileSync(path.join(folder, 'labels.csv')), {columns: true}) as Record<string, string>[]) {
    const key = `${row.transcriptid}/${row.componentorder}/${row.sentence_in_component}`
    topics.set(key, row.topic!)
    if (row.kind) kinds.set(key, row.kind)
  }
  const source = new CsvSource(path.join(folder, 'transcripts.csv'))
  const calls: FirmTranscript[] = []
  for (const quarter of await source.listQuarters()) {
    for (const firm of await source.listFirms(quarter)) calls.push((await source.fetchFirm(firm.id, quarter))!)
  }
  return {name, calls, topics, kinds}
}

/** One firm's scores. */
export interface FirmScores {
  ari: number
  nmi: number
  topics: number
  labelledTopics: number
  outlierShare: number
  purity: number
  genericShare: number
  npmi: number
  diversity: number
  /** Result and guidance sentences dropped by the safe-harbor filter. */
  lostResults: number
  cpuMs: number
}

/** Models one call and scores it; 'none' sentences are left out of ARI and NMI, outliers stay in as a class. */
export async function scoreFirm(data: LabelledCalls, call: FirmTranscript, pipeline: PipelineConfig, embedder: Embedder): Promise<FirmScores> {
  const before = process.cpuUsage()
  const model = await modelFirm(call, pipeline, embedder)
  const used = process.cpuUsage(before)
  const keyOf = (sentence: {componentOrder: number; sentenceInComponent: number}): string => `${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`
  const truth = model.sentences.map((sentence) => data.topics.get(keyOf(sentence)) ?? 'none')
  const kept = truth.flatMap((topic, index) => (topic === 'none' ? [] : [index]))
  const keptTruth = kept.map((index) => truth[index]!)
  const keptPredicted = kept.map((index) => model.assignments[index]!)
  const purities = topicPurities(keptTruth, keptPredicted)
  return {
    ari: adjustedRandIndex(keptTruth, keptPredicted),
    nmi: normalizedMutualInformation(keptTruth, keptPredicted),
    topics: model.topics.length,
    labelledTopics: new Set(keptTruth).size,
    outlierShare: model.assignments.filter((topic) => topic < 0).length / model.assignments.length,
    purity: purities.length > 0 ? purities.reduce((sum, value) => sum + value, 0) / purities.length : 0,
    genericShare: genericLabelShare(model.topics.map((topic) => topic.label)),
    npmi: npmiCoherence(model.topics.map((topic) => topic.keywords), model.sentences.map((sentence) => sentence.terms)),
    diversity: topicDiversity(model.topics.map((topic) => topic.keywords), pipeline.keywords.topN),
    lostResults: lostToFilter(data, call, pipeline),
    cpuMs: (used.user + used.system) / 1000,
  }
}

/** Result and guidance sentences that preprocessing keeps without the safe-harbor filter but drops with it. */
function lostToFilter(data: LabelledCalls, call: FirmTranscript, pipeline: PipelineConfig): number {
  if (data.kinds.size === 0) return 0
  const key = (sentence: {componentOrder: number; sentenceInComponent: number}): string => `${call.transcriptId}/${sentence.componentOrder}/${sentence.sentenceInComponent}`
  const filtered = new Set(preprocess(call, pipeline).map(key))
  return preprocess(call, {...pipeline, dropSafeHarbor: false})
    .map(key)
    .filter((sentence) => !filtered.has(sentence) && ['result', 'guidance'].includes(data.kinds.get(sentence) ?? '')).length
}
