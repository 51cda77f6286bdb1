import type {ThemesConfig} from '../../core/config/themes-schema.js'
import type {TopicRecord} from '../output/theme-tables.js'
import {classTfidf, topTerms} from '../stages/class-tfidf.js'
import {keywordLabel} from '../stages/keyword-label.js'
import {cosineDistance} from '../stages/reduce.js'
import {clusterThemes} from './cluster-themes.js'
import {judgeTheme, type ThemeRejection} from './validate-themes.js'

/** A theme that passed validation, before naming. */
export interface Theme {
  themeId: number
  label: string
  labelSource: 'keywords' | 'llm'
  keywords: string[]
  members: {topic: TopicRecord; similarity: number}[]
  nFirms: number
  /** Firms with the most member topics, most first (ties by firm id), with their topic counts. */
  topFirms: {firmId: string; firmName: string; topics: number}[]
}

/** Themes of one quarter, and what was dropped on the way. */
export interface ThemeResult {
  themes: Theme[]
  /** Candidate clusters dropped by the validation rules, per reason. */
  rejected: Record<ThemeRejection, number>
  /** Topics in no candidate cluster. */
  unclustered: number
}

/** Clusters a quarter's firm topics into validated, keyword-labelled themes (largest first). */
export async function buildThemes(topics: readonly TopicRecord[], settings: ThemesConfig): Promise<ThemeResult> {
  const usable = topics.filter((topic) => topic.embedding.length > 0)
  const labels = await clusterThemes(usable.map((topic) => topic.embedding), settings)
  const clusters = new Map<number, TopicRecord[]>()
  usable.forEach((topic, index) => {
    const label = labels[index]!
    if (label >= 0) clusters.set(label, [...(clusters.get(label) ?? []), topic])
  })
  const rejected: Record<ThemeRejection, number> = {too_few_firms: 0, one_firm_dominates: 0}
  const kept: TopicRecord[][] = []
  for (const members of clusters.values()) {
    const reason = judgeTheme(members.map((topic) => topic.firmId), settings)
    if (reason) rejected[reason]++
    else kept.push(members)
  }
  kept.sort((a, b) => b.length - a.length || a[0]!.firmId.localeCompare(b[0]!.firmId))
  const keywordModel = classTfidf(kept.map(keywordCounts), 1)
  const themes = kept.map((members, themeId): Theme => {
    const keywords = topTerms(keywordModel, themeId, settings.topKeywords).map((entry) => entry.term)
    const centroid = meanEmbedding(members)
    return {
      themeId,
      label: keywordLabel(keywords),
      labelSource: 'keywords',
      keywords,
      members: members.map((topic) => ({topic, similarity: 1 - cosineDistance(topic.embedding, centroid)})),
      nFirms: new Set(members.map((topic) => topic.firmId)).size,
      topFirms: topFirms(members, settings.topFirms),
    }
  })
  return {themes, rejected, unclustered: usable.length - [...clusters.values()].reduce((sum, members) => sum + members.length, 0)}
}

/** A theme's keyword counts: each member topic's keywords, weighted by the topic's size. */
function keywordCounts(members: readonly TopicRecord[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const topic of members) for (const keyword of topic.keywords) counts.set(keyword, (counts.get(keyword) ?? 0) + Math.max(1, topic.size))
  return counts
}

function meanEmbedding(members: readonly TopicRecord[]): Float64Array {
  const mean = new Float64Array(members[0]!.embedding.length)
  for (const topic of members) topic.embedding.forEach((value, index) => (mean[index]! += value / members.length))
  return mean
}

function topFirms(members: readonly TopicRecord[], count: number): Theme['topFirms'] {
  const firms = new Map<string, {firmId: string; firmName: string; topics: number}>()
  for (const topic of members) {
    const entry = firms.get(topic.firmId) ?? {firmId: topic.firmId, firmName: topic.firmName, topics: 0}
    entry.topics++
    firms.set(topic.firmId, entry)
  }
  return [...firms.values()].sort((a, b) => b.topics - a.topics || a.firmId.localeCompare(b.firmId)).slice(0, count)
}
