import {describe, expect, it} from 'vitest'
import {FakeChatServer, fakeLabel} from '../../../../fakes/fake-chat-server.js'
import {defaultConfig} from '../../../../src/core/config/schema.js'
import {readTopicRecords} from '../../../../src/pipeline/output/theme-tables.js'
import {adjustedRandIndex} from '../../../../src/pipeline/quality/adjusted-rand-index.js'
import {judgeTheme} from '../../../../src/pipeline/themes/validate-themes.js'
import {runThemes} from '../../../../src/pipeline/themes/run-themes.js'
import {themeKey} from '../../../../src/pipeline/themes/theme-keys.js'
import {openStorage} from '../../../../src/storage/open-storage.js'
import {temporaryFolder} from '../../../support/sample-subset.js'
import {seededRandom} from '../../../../src/pipeline/stages/random.js'
import {noisyCopy, type PlantedTopic, unitVector, writeCommittedTopics} from '../../../support/theme-fixture.js'
import {ResultViews} from '../../../../src/inspect/views.js'
import {findReport} from '../../../../src/inspect/reports.js'
import type {Storage} from '../../../../src/storage/storage.js'

const quarter = '2024Q1'
const runId = '20240101T000000Z-themes'
const themeNames = ['inflation', 'tariffs', 'ai', 'labor', 'energy', 'credit']

/** 60 firms, each with 4 noisy copies of planted themes (firm f holds themes f, f+1, f+2, f+3 mod 6): 40 topics a theme. */
function plantedTopics(): PlantedTopic[] {
  const random = seededRandom(7)
  const centres = themeNames.map(() => unitVector(random, 100))
  const topics: PlantedTopic[] = []
  for (let firm = 0; firm < 60; firm++) {
    for (let slot = 0; slot < 4; slot++) {
      const theme = (firm + slot) % 6
      topics.push({firmId: `F${String(firm).padStart(3, '0')}`, topicId: slot, theme: themeNames[theme]!, embedding: noisyCopy(random, centres[theme]!, 1.0)})
    }
  }
  // A single-firm cluster and a cluster where one firm holds 15 of 25 topics: both must be dropped.
  const solo = unitVector(random, 100)
  for (let index = 0; index < 25; index++) topics.push({firmId: 'SOLO', topicId: index, theme: 'solo', embedding: noisyCopy(random, solo, 1.0)})
  const dominated = unitVector(random, 100)
  for (let index = 0; index < 15; index++) topics.push({firmId: 'BIG', topicId: index, theme: 'dominated', embedding: noisyCopy(random, dominated, 1.0)})
  for (let index = 0; index < 10; index++) topics.push({firmId: `F${String(index).padStart(3, '0')}`, topicId: 10 + index, theme: 'dominated', embedding: noisyCopy(random, dominated, 1.0)})
  return topics
}

/** Rows of a query over the run's views (`themes`, `theme_members` are among them), as objects. */
async function readRows(storage: Storage, sql: string, parameters: (string | number | null)[] = []): Promise<Record<string, unknown>[]> {
  const views = await ResultViews.open(storage, runId)
  try {
    const result = await views.query(sql, parameters)
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index]])))
  } finally {
    views.close()
  }
}

describe('cross-firm themes (the reduce)', () => {
  it('judges themes: a single-firm theme and a theme dominated by one firm are rejected', () => {
    const rules = {minFirms: 2, maxFirmShare: 0.4}
    expect(judgeTheme(['a', 'a', 'a'], rules)).toBe('too_few_firms')
    expect(judgeTheme(['a', 'a', 'a', 'b', 'c'], rules)).toBe('one_firm_dominates')
    expect(judgeTheme(['a', 'a', 'b', 'c', 'd'], rules)).toBeUndefined()
    expect(judgeTheme(['a', 'b'], {minFirms: 3, maxFirmShare: 0.5})).toBe('too_few_firms')
  })

  it('recovers planted themes shared across 60 firms, drops single-firm and firm-dominated clusters, and rewrites idempotently', async () => {
    const root = temporaryFolder('ftm-themes-')
    const storage = openStorage(root)
    const topics = plantedTopics()
    await writeCommittedTopics(storage, runId, quarter, topics.slice(0, 150), 0)
    await writeCommittedTopics(storage, runId, quarter, topics.slice(150), 1)
    // An uncommitted chunk (no firms file) is never read.
    const leftover = plantedTopics().slice(0, 5).map((topic) => ({...topic, firmId: 'LEFTOVER'}))
    await writeCommittedTopics(storage, runId, quarter, leftover, 2, false)

    const lines: string[] = []
    const context = {storage, runId, quarter, config: defaultConfig, environment: {}, log: (line: string) => lines.push(line)}
    const summary = await runThemes(context)
    expect(summary).toMatchObject({topics: topics.length, firms: 62, themes: 6})
    expect(summary.rejected.too_few_firms).toBeGreaterThanOrEqual(1)
    expect(summary.rejected.one_firm_dominates).toBeGreaterThanOrEqual(1)

    const members = await readRows(storage, 'SELECT theme_id, firm_id, topic_id, similarity FROM theme_members')
    const assigned = new Map(members.map((row) => [`${String(row.firm_id)}/${String(row.topic_id)}`, Number(row.theme_id)]))
    const planted = topics.filter((topic) => themeNames.includes(topic.theme) && topic.topicId < 4)
    const predicted = planted.map((topic) => assigned.get(`${topic.firmId}/${topic.topicId}`) ?? -1)
    const ari = adjustedRandIndex(planted.map((topic) => topic.theme), predicted)
    console.log(`themes: ARI ${ari.toFixed(3)} over ${planted.length} planted topics; ${predicted.filter((label) => label < 0).length} unassigned`)
    expect(ari).toBeGreaterThan(0.9)
    expect(members.some((row) => row.firm_id === 'SOLO' || row.firm_id === 'BIG')).toBe(false)
    expect(members.every((row) => Number(row.similarity) > 0.3 && Number(row.similarity) <= 1.0001)).toBe(true)

    const themes = await readRows(storage, 'SELECT theme_id, label, label_source, keywords, n_firms, n_topics, top_firms FROM themes ORDER BY theme_id')
    expect(themes).toHaveLength(6)
    for (const theme of themes) {
      expect(theme.label_source).toBe('keywords')
      expect(Number(theme.n_firms)).toBeGreaterThanOrEqual(30)
      // c-TF-IDF over member keywords: the planted theme's own word comes first.
      expect(themeNames).toContain((theme.keywords as string[])[0])
      expect(String(theme.label)).toContain((theme.keywords as string[])[0]!)
      expect((theme.top_firms as string[]).length).toBe(5)
    }
    expect(new Set(themes.map((theme) => (theme.keywords as string[])[0])).size).toBe(6)

    // Rerunning rewrites the same one file per table with the same content.
    const again = await runThemes(context)
    expect(again).toEqual(summary)
    expect(await storage.list('themes/')).toEqual([themeKey('themes', quarter, runId)])
    expect(await readRows(storage, 'SELECT count(*)::INTEGER AS n FROM themes')).toEqual([{n: 6}])
    // The canned report lists the quarter's themes; --firm narrows it to that firm's themes.
    const report = findReport('themes')
    const all = await readRows(storage, report.sql, report.parameters({quarter, limit: 50}))
    expect(all).toHaveLength(6)
    const ofFirm = await readRows(storage, report.sql, report.parameters({quarter, firm: 'F000', limit: 50}))
    expect(ofFirm.map((row) => row.theme_id).sort()).toEqual(members.filter((row) => row.firm_id === 'F000').map((row) => row.theme_id).sort())
    expect(ofFirm.length).toBe(4)

    // The next quarter: the same planted themes carry on from the quarter before, matched by their keywords.
    const next = '2024Q2'
    const nextTopics = plantedTopics().filter((topic) => themeNames.includes(topic.theme) && topic.topicId < 4)
    await writeCommittedTopics(storage, runId, next, nextTopics, 0)
    expect(await runThemes({...context, quarter: next})).toMatchObject({themes: 6})
    const carried = await readRows(storage, report.sql, report.parameters({quarter: next, limit: 50}))
    const firstKeyword = new Map(themes.map((theme) => [Number(theme.theme_id), (theme.keywords as string[])[0]]))
    expect(carried).toHaveLength(6)
    for (const row of carried) expect(firstKeyword.get(Number(row.carries_theme))).toBe((row.keywords as string[])[0])
    expect((await readTopicRecords([])).length).toBe(0)
  })

  it('names themes with the LLM when an endpoint is configured (the topic namer, over the wire)', async () => {
    const storage = openStorage(temporaryFolder('ftm-themes-llm-'))
    await writeCommittedTopics(storage, runId, quarter, plantedTopics())
    const fake = await FakeChatServer.start({model: 'm'})
    try {
      const config = {...defaultConfig, llm: {...defaultConfig.llm, baseUrl: fake.url, model: 'm'}}
      const summary = await runThemes({storage, runId, quarter, config, environment: {}, log: () => {}})
      expect(summary).toMatchObject({themes: 6, named: 6})
      expect(fake.requestCount).toBeGreaterThanOrEqual(1)
      const themes = await readRows(storage, 'SELECT label, label_source, keywords FROM themes')
      for (const theme of themes) {
        expect(theme.label_source).toBe('llm')
        expect(theme.label).toBe(fakeLabel(theme.keywords as string[]))
      }
    } finally {
      await fake.close()
    }
  })

  it('a quarter with too few topics gets empty theme tables rather than an error', async () => {
    const root = temporaryFolder('ftm-themes-small-')
    const storage = openStorage(root)
    const random = seededRandom(3)
    const topics = Array.from({length: 4}, (_, index) => ({firmId: `F${index}`, topicId: 0, theme: 'x', embedding: unitVector(random, 20)}))
    await writeCommittedTopics(storage, runId, quarter, topics)
    const summary = await runThemes({storage, runId, quarter, config: defaultConfig, environment: {}, log: () => {}})
    expect(summary).toMatchObject({topics: 4, themes: 0, unclustered: 4})
    expect(await storage.list('themes/')).toEqual([themeKey('themes', quarter, runId)])
    expect(await readRows(storage, 'SELECT count(*)::INTEGER AS n FROM themes')).toEqual([{n: 0}])
  })
})
