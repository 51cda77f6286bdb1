import type {FirmTranscript} from '../../sources/transcript-source.js'
import type {TimedMeasures} from '../measures/firm-measures.js'
import type {FirmModel} from '../model-firm.js'
import {firmMeasureValues, sentenceMeasureValues, topicMeasureValues} from './measure-columns.js'
import type {TableRows} from './table-columns.js'

/** Identifies the firm rows of one attempt. */
export interface FirmContext {
  runId: string
  quarter: string
  partition: number
  firmId: string
  firmName: string
  attempt: number
}

/** Rows of a firm the model ran on, with its research measures when they were computed. */
export function modeledFirmRows(
  context: FirmContext,
  transcript: FirmTranscript,
  model: FirmModel,
  fetchMs: number,
  totalMs: number,
  measures?: TimedMeasures,
): TableRows {
  const {runId, quarter, firmId} = context
  const firmName = transcript.firmName || context.firmName
  const outliers = model.assignments.filter((topic) => topic < 0).length
  const timings = model.timings
  return {
    firms: [
      {
        ...firmBase(context, firmName),
        status: 'ok',
        transcript_id: transcript.transcriptId,
        call_date: transcript.callDate,
        n_components: transcript.components.length,
        n_sentences: model.sentences.length,
        n_topics: model.topics.length,
        n_outliers: outliers,
        fetch_ms: fetchMs,
        preprocess_ms: timings.preprocess,
        embed_ms: timings.embed,
        reduce_ms: timings.reduce,
        cluster_ms: timings.cluster,
        keywords_ms: timings.keywords,
        label_ms: timings.label,
        total_ms: totalMs,
        outlier_share: model.sentences.length > 0 ? outliers / model.sentences.length : 0,
        cluster_outlier_share: model.sentences.length > 0 ? model.clusterAssignments.filter((topic) => topic < 0).length / model.sentences.length : 0,
        ...(measures ? firmMeasureValues(measures) : {}),
      },
    ],
    topics: model.topics.map((topic) => ({
      run_id: runId,
      quarter,
      firm_id: firmId,
      firm_name: firmName,
      topic_id: topic.topicId,
      label: topic.label,
      label_source: topic.labelSource,
      keywords: topic.keywords,
      keyword_scores: topic.keywordScores,
      size: topic.size,
      representative_sentences: topic.representativeSentences,
      embedding: topic.embedding,
      ...(measures ? topicMeasureValues(measures, topic.topicId) : {}),
    })),
    sentences: model.sentences.map((sentence) => ({
      run_id: runId,
      quarter,
      firm_id: firmId,
      transcript_id: transcript.transcriptId,
      component_order: sentence.componentOrder,
      sentence_index: sentence.index,
      speaker_type: sentence.speakerType,
      text: sentence.text,
      topic_id: model.assignments[sentence.index],
      probability: model.probabilities[sentence.index],
      cluster_topic_id: model.clusterAssignments[sentence.index],
      outlier_similarity: Number.isNaN(model.outlierSimilarities[sentence.index]!) ? null : model.outlierSimilarities[sentence.index],
      ...(measures ? sentenceMeasureValues(measures, sentence.index) : {}),
    })),
  }
}

/** The one row of a firm that failed. */
export function failedFirmRows(
  context: FirmContext,
  failure: {kind: string; message: string},
  details: {transcript?: FirmTranscript; fetchMs?: number; totalMs: number},
): TableRows {
  return {
    firms: [
      {
        ...firmBase(context, details.transcript?.firmName || context.firmName),
        status: 'failed',
        error_kind: failure.kind,
        error_message: failure.message,
        transcript_id: details.transcript?.transcriptId,
        call_date: details.transcript?.callDate,
        n_components: details.transcript?.components.length,
        fetch_ms: details.fetchMs,
        total_ms: details.totalMs,
      },
    ],
    topics: [],
    sentences: [],
  }
}

function firmBase(context: FirmContext, firmName: string): Record<string, unknown> {
  return {
    run_id: context.runId,
    quarter: context.quarter,
    partition: context.partition,
    firm_id: context.firmId,
    firm_name: firmName,
    attempt: context.attempt,
    finished_at: new Date().toISOString(),
  }
}
