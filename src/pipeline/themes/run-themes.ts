import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {Config} from '../../core/config/schema.js'
import {defaultThemes} from '../../core/config/themes-schema.js'
import type {Quarter} from '../../base/quarter.js'
import {committedFiles} from '../../inspect/committed-files.js'
import type {Storage} from '../../storage/storage.js'
import type {FirmModel} from '../model-firm.js'
import {createTopicNamer} from '../naming/create-namer.js'
import {readTopicRecords, type ThemeTableName, writeThemeFile} from '../output/theme-tables.js'
import {buildThemes, type Theme, type ThemeResult} from './build-themes.js'
import {themeKey} from './theme-keys.js'
import {checkThemesMemory} from './themes-memory.js'

export interface ThemesContext {
  storage: Storage
  runId: string
  quarter: Quarter
  /** The run's configuration (from its run record); `themes` and `llm` are used. */
  config: Config
  environment: NodeJS.ProcessEnv
  log: (line: string) => void
}

/** What the reduce did for one quarter. */
export interface ThemesSummary extends Omit<ThemeResult, 'themes'> {
  quarter: Quarter
  topics: number
  firms: number
  themes: number
  named: number
}

/** Reads a quarter's committed topics, builds and names its themes, and (re)writes its two theme tables. */
export async function runThemes(context: ThemesContext): Promise<ThemesSummary> {
  const {storage, runId, quarter} = context
  const settings = context.config.themes ?? defaultThemes
  const staging = await mkdtemp(path.join(os.tmpdir(), 'ftm-themes-'))
  try {
    const keys = (await committedFiles(storage, runId)).topics.filter((key) => key.includes(`/quarter=${quarter}/`))
    const files: string[] = []
    for (const [index, key] of keys.entries()) {
      const local = storage.localPath(key) ?? path.join(staging, `topics-${index}.parquet`)
      if (local.startsWith(staging) && !(await storage.getFile(key, local))) continue
      files.push(local)
    }
    const topics = await readTopicRecords(files)
    context.log(`themes ${quarter}: ${topics.length} topic(s) of ${new Set(topics.map((topic) => topic.firmId)).size} firm(s) from ${files.length} committed chunk(s)`)
    checkThemesMemory(topics.filter((topic) => topic.embedding.length > 0).length, runId)
    const result = await buildThemes(topics, settings)
    const named = await nameThemes(result.themes, context)
    await writeTable(context, staging, 'themes', result.themes.map((theme) => themeRow(theme, runId, quarter)))
    await writeTable(context, staging, 'theme_members', result.themes.flatMap((theme) => memberRows(theme, runId, quarter)))
    const summary: ThemesSummary = {
      quarter,
      topics: topics.length,
      firms: new Set(topics.map((topic) => topic.firmId)).size,
      themes: result.themes.length,
      named,
      rejected: result.rejected,
      unclustered: result.unclustered,
    }
    context.log(
      `themes ${quarter}: ${summary.themes} theme(s); dropped ${result.rejected.too_few_firms} single-firm and ${result.rejected.one_firm_dominates} firm-dominated cluster(s); ${result.unclustered} topic(s) in no theme`,
    )
    return summary
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

async function writeTable(context: ThemesContext, staging: string, table: ThemeTableName, rows: Record<string, unknown>[]): Promise<void> {
  const file = path.join(staging, `${table}.parquet`)
  await writeThemeFile(table, rows, file)
  await context.storage.putFile(themeKey(table, context.quarter, context.runId), file)
}

/** Names themes with the LLM when one is configured (the map step's namer); returns how many got an LLM name. */
async function nameThemes(themes: Theme[], context: ThemesContext): Promise<number> {
  if (themes.length === 0) return 0
  const namer = createTopicNamer(context.config.llm, {storage: context.storage, environment: context.environment, log: context.log})
  if (!namer) return 0
  // The namer reads topics and the text of their representative sentences: a theme's "sentences" are the labels of
  // its member topics closest to its centre.
  const texts: string[] = []
  const topics = themes.map((theme) => {
    const closest = [...theme.members].sort((a, b) => b.similarity - a.similarity).slice(0, 10)
    const indices = closest.map((member) => texts.push(`${member.topic.label} (${member.topic.keywords.slice(0, 5).join(', ')})`) - 1)
    return {topicId: theme.themeId, label: theme.label, labelSource: theme.labelSource, keywords: theme.keywords, keywordScores: [], size: theme.members.length, representativeSentences: indices, embedding: new Float32Array()}
  })
  const model = {sentences: texts.map((text) => ({text})), topics} as unknown as FirmModel
  const outcome = await namer.nameTopics(model, 'themes shared across firms')
  for (const [index, topic] of topics.entries()) {
    themes[index]!.label = topic.label
    themes[index]!.labelSource = topic.labelSource as Theme['labelSource']
  }
  return outcome.named
}

function themeRow(theme: Theme, runId: string, quarter: Quarter): Record<string, unknown> {
  return {
    run_id: runId,
    quarter,
    theme_id: theme.themeId,
    label: theme.label,
    label_source: theme.labelSource,
    keywords: theme.keywords,
    n_firms: theme.nFirms,
    n_topics: theme.members.length,
    top_firms: theme.topFirms.map((firm) => firm.firmName || firm.firmId),
    top_firm_topics: theme.topFirms.map((firm) => firm.topics),
  }
}

function memberRows(theme: Theme, runId: string, quarter: Quarter): Record<string, unknown>[] {
  return theme.members.map(({topic, similarity}) => ({
    run_id: runId,
    quarter,
    theme_id: theme.themeId,
    firm_id: topic.firmId,
    firm_name: topic.firmName,
    topic_id: topic.topicId,
    topic_label: topic.label,
    similarity,
  }))
}
