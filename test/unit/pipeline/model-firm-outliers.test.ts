import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {defaultConfig, type PipelineConfig} from '../../../src/core/config/schema.js'
import {WordVectorEmbedder} from '../../../src/pipeline/embedding/word-vector-embedder.js'
import {clusterSizes, type FirmModel, modelFirm} from '../../../src/pipeline/model-firm.js'
import {modeledFirmRows} from '../../../src/pipeline/output/firm-rows.js'
import {CsvSource} from '../../../src/sources/csv-source.js'
import type {FirmTranscript} from '../../../src/sources/transcript-source.js'
import {repositoryRoot} from '../../support/cli.js'

describe('clusterSizes', () => {
  it('scales min_cluster_size and min_samples with the sentence count, never below the fixed floors', () => {
    const settings = {...defaultConfig.pipeline.hdbscan, minClusterSize: 6, minSamples: 2, minClusterShare: 0.04, minSamplesShare: 0.013}
    expect(clusterSizes(settings, 120)).toEqual({minClusterSize: 6, minSamples: 2})
    expect(clusterSizes(settings, 600)).toEqual({minClusterSize: 24, minSamples: 8})
    expect(clusterSizes({...settings, minClusterShare: 0, minSamplesShare: 0}, 600)).toEqual({minClusterSize: 6, minSamples: 2})
  })
})

describe('modelFirm outlier reassignment', () => {
  const embedder = new WordVectorEmbedder()
  let call: FirmTranscript
  let kept: FirmModel
  let reassigned: FirmModel
  const withOutliers = (strategy: PipelineConfig['outliers']['strategy'], threshold: number): PipelineConfig => ({
    ...defaultConfig.pipeline,
    smoothWindow: 0,
    outliers: {strategy, threshold},
  })

  beforeAll(async () => {
    const source = new CsvSource(path.join(repositoryRoot, 'fixtures', 'quality-corpus', 'transcripts.csv'))
    const [quarter] = await source.listQuarters()
    const [firm] = await source.listFirms(quarter!)
    call = (await source.fetchFirm(firm!.id, quarter!))!
    kept = await modelFirm(call, withOutliers('none', 0), embedder)
    reassigned = await modelFirm(call, withOutliers('embeddings', -1), embedder)
  })

  it('keeps HDBSCAN outliers as -1 when reassignment is off, with the clustering assignment equal to the final one', () => {
    expect(kept.assignments.includes(-1)).toBe(true)
    expect([...kept.clusterAssignments]).toEqual([...kept.assignments])
    expect([...kept.outlierSimilarities].every(Number.isNaN)).toBe(true)
  })

  it('with threshold -1 every outlier joins a topic; the original assignment and the similarity are kept per sentence', () => {
    expect(reassigned.assignments.includes(-1)).toBe(false)
    const outliers = [...reassigned.clusterAssignments.keys()].filter((index) => reassigned.clusterAssignments[index] === -1)
    expect(outliers.length).toBeGreaterThan(0)
    for (const index of outliers) expect(reassigned.outlierSimilarities[index]).toBeGreaterThanOrEqual(-1)
    reassigned.clusterAssignments.forEach((topic, index) => {
      if (topic >= 0) expect(reassigned.assignments[index]).toBe(topic)
    })
    const context = {runId: 'r', quarter: '2024Q2', partition: 0, firmId: call.firmId, firmName: call.firmName, attempt: 1}
    const rows = modeledFirmRows(context, call, reassigned, 0, 0)
    expect(rows.firms[0]).toMatchObject({outlier_share: 0, cluster_outlier_share: outliers.length / reassigned.sentences.length})
    const sentence = rows.sentences[outliers[0]!]!
    expect(sentence.cluster_topic_id).toBe(-1)
    expect(sentence.outlier_similarity).toBeCloseTo(reassigned.outlierSimilarities[outliers[0]!]!, 12)
  })
})
