import type {TimedMeasures, MeasureTotals} from '../measures/firm-measures.js'
import type {Column, ColumnType, TableRow} from './table-columns.js'

const column = (name: string, type: ColumnType): Column => ({name, type})

/** Totals shared by a topic row and a firm row. */
const totalColumns: readonly Column[] = [
  column('n_words', 'INTEGER'),
  column('presentation_sentences', 'INTEGER'),
  column('qa_sentences', 'INTEGER'),
  column('analyst_sentences', 'INTEGER'),
  column('management_sentences', 'INTEGER'),
  column('positive_words', 'INTEGER'),
  column('negative_words', 'INTEGER'),
  column('net_tone', 'DOUBLE'),
  column('uncertainty_words', 'INTEGER'),
  column('litigious_words', 'INTEGER'),
  column('constraining_words', 'INTEGER'),
  column('risk_sentences', 'INTEGER'),
]

/** The measure columns of the firms table, after its own. */
export const firmMeasureColumns: readonly Column[] = [
  ...totalColumns,
  column('qa_rule', 'VARCHAR'),
  column('subjects', 'VARCHAR[]'),
  column('subject_shares', 'DOUBLE[]'),
  column('measures_ms', 'INTEGER'),
]

/** The measure columns of the topics table, after its own. */
export const topicMeasureColumns: readonly Column[] = [
  ...totalColumns,
  column('sentence_share', 'DOUBLE'),
  column('word_share', 'DOUBLE'),
  column('presentation_share', 'DOUBLE'),
  column('qa_share', 'DOUBLE'),
  column('analyst_share', 'DOUBLE'),
  column('first_raised_by', 'VARCHAR'),
  column('first_raised_in', 'VARCHAR'),
  column('subject', 'VARCHAR'),
  column('subject_score', 'DOUBLE'),
]

/** The measure columns of the sentences table, after its own. */
export const sentenceMeasureColumns: readonly Column[] = [
  column('section', 'VARCHAR'),
  column('role', 'VARCHAR'),
  column('n_words', 'INTEGER'),
  column('positive_words', 'INTEGER'),
  column('negative_words', 'INTEGER'),
  column('uncertainty_words', 'INTEGER'),
  column('litigious_words', 'INTEGER'),
  column('constraining_words', 'INTEGER'),
  column('risk', 'INTEGER'),
  column('subject', 'VARCHAR'),
]

function totalValues(totals: MeasureTotals): TableRow {
  return {
    n_words: totals.words,
    presentation_sentences: totals.presentationSentences,
    qa_sentences: totals.qaSentences,
    analyst_sentences: totals.analystSentences,
    management_sentences: totals.managementSentences,
    positive_words: totals.positive,
    negative_words: totals.negative,
    net_tone: totals.netTone,
    uncertainty_words: totals.uncertainty,
    litigious_words: totals.litigious,
    constraining_words: totals.constraining,
    risk_sentences: totals.riskSentences,
  }
}

/** The firm row's measure values. */
export function firmMeasureValues(measures: TimedMeasures): TableRow {
  const call = measures.call
  return {...totalValues(call), qa_rule: call.qaRule, subjects: call.subjects, subject_shares: call.subjectShares, measures_ms: measures.ms}
}

/** A topic row's measure values (none for a topic the measures do not know). */
export function topicMeasureValues(measures: TimedMeasures, topicId: number): TableRow {
  const topic = measures.topics.get(topicId)
  if (!topic) return {}
  return {
    ...totalValues(topic),
    sentence_share: topic.sentenceShare,
    word_share: topic.wordShare,
    presentation_share: topic.presentationShare,
    qa_share: topic.qaShare,
    analyst_share: topic.analystShare,
    first_raised_by: topic.firstRole,
    first_raised_in: topic.firstSection,
    subject: topic.subject,
    subject_score: topic.subjectScore,
  }
}

/** A sentence row's measure values. */
export function sentenceMeasureValues(measures: TimedMeasures, sentenceIndex: number): TableRow {
  const sentence = measures.sentences[sentenceIndex]
  if (!sentence) return {}
  return {
    section: sentence.section,
    role: sentence.role,
    n_words: sentence.words,
    positive_words: sentence.positive,
    negative_words: sentence.negative,
    uncertainty_words: sentence.uncertainty,
    litigious_words: sentence.litigious,
    constraining_words: sentence.constraining,
    risk: sentence.risk ? 1 : 0,
    subject: sentence.subject,
  }
}
