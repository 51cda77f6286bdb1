import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import {defaultMeasures} from '../../src/core/config/measures-schema.js'
import {defaultTaxonomy} from '../../src/pipeline/measures/taxonomy.js'
import {ResultViews} from '../../src/inspect/views.js'
import {openStorage} from '../../src/storage/open-storage.js'
import {rowsAsObjects} from '../../src/ui/format-table.js'
import {parseJson, runCli} from '../support/cli.js'
import {type InspectFixture, makeInspectFixture} from '../support/inspect-fixture.js'
import {temporaryFolder} from '../support/sample-subset.js'

describe('the research measures of a real run (6 firms × 2 quarters, one failing firm)', () => {
  let fixture: InspectFixture
  let views: ResultViews
  const inspect = async (...args: string[]): Promise<InspectResult> => parseJson<InspectResult>(await runCli(['inspect', '--root', fixture.root, ...args, '--json']))
  const sql = async (query: string): Promise<Record<string, unknown>[]> => {
    const result = await views.query(query)
    return rowsAsObjects(result.columns, result.rows)
  }

  beforeAll(async () => {
    fixture = await makeInspectFixture()
    views = await ResultViews.open(openStorage(fixture.root), fixture.runId)
  })

  afterAll(() => views?.close())

  it('writes the panel as Parquet: one row per modeled firm and quarter, shares of a call adding up to at most 1', async () => {
    const file = path.join(temporaryFolder(), 'panel.parquet')
    const result = await inspect('panel', '--output', file)
    expect(result.query?.count).toBe(11)
    const rows = await sql(`SELECT * FROM read_parquet('${file}')`)
    const keys = new Set(rows.map((row) => `${String(row.firm_id)}/${String(row.quarter)}`))
    expect(keys.size).toBe(rows.length)
    const subjects = defaultTaxonomy().map((subject) => subject.key.replaceAll('-', '_'))
    expect(Object.keys(rows[0]!).slice(0, 5)).toEqual(['firm_id', 'firm_name', 'quarter', 'year', 'quarter_of_year'])
    for (const subject of subjects) expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining([`sh_${subject}`, `tone_${subject}`, `risk_${subject}`]))
    for (const row of rows) {
      const total = subjects.reduce((sum, subject) => sum + Number(row[`sh_${subject}`]), 0)
      expect(total).toBeLessThanOrEqual(1 + 1e-9)
      expect(total).toBeGreaterThan(0)
      for (const subject of subjects) expect(Number(row[`risk_${subject}`])).toBeLessThanOrEqual(Number(row[`sh_${subject}`]) + 1e-12)
      expect(Number(row.presentation_sentences) + Number(row.qa_sentences)).toBe(Number(row.n_sentences))
      expect(Number(row.qa_sentences)).toBeGreaterThan(0)
    }
    const [shares] = await sql(`SELECT count(*)::INTEGER AS mismatched FROM read_parquet('${file}') p JOIN firms f USING (firm_id, quarter)
      WHERE abs(p.sh_demand - f.subject_shares[list_position(f.subjects, 'demand')]) > 1e-12`)
    expect(shares).toEqual({mismatched: 0})
  })

  it('writes the panel as CSV with the same columns', async () => {
    const file = path.join(temporaryFolder(), 'panel.csv')
    await inspect('panel', '--output', file)
    const rows = parse(readFileSync(file), {columns: true}) as Record<string, string>[]
    expect(rows).toHaveLength(11)
    expect(Object.keys(rows[0]!)).toContain('sh_capital_return')
  })

  it('gives every sentence a section and a role, and sentences, topics and firms agree', async () => {
    const [counts] = await sql(`SELECT count(*) FILTER (section IS NULL OR role IS NULL)::INTEGER AS unplaced,
      count(DISTINCT section)::INTEGER AS sections, count(*) FILTER (role = 'operator')::INTEGER AS operator_sentences FROM sentences`)
    expect(counts).toEqual({unplaced: 0, sections: 2, operator_sentences: 0}) // operator turns are dropped before modeling
    const [agreement] = await sql(`SELECT count(*)::INTEGER AS mismatched FROM firms f
      JOIN (SELECT quarter, firm_id, count(*) FILTER (section = 'qa') AS qa, sum(risk) AS risk, sum(n_words) AS words FROM sentences GROUP BY ALL) s USING (quarter, firm_id)
      WHERE f.qa_sentences <> s.qa OR f.risk_sentences <> s.risk OR f.n_words <> s.words`)
    expect(agreement).toEqual({mismatched: 0})
    const [topics] = await sql(`SELECT count(*) FILTER (sentence_share IS NULL OR first_raised_by IS NULL)::INTEGER AS missing,
      count(*) FILTER (subject IS NOT NULL)::INTEGER AS with_subject, count(*)::INTEGER AS topics FROM topics`)
    expect(topics!.missing).toBe(0)
    expect(Number(topics!.with_subject)).toBeGreaterThan(0)
  })

  it("links each second-quarter topic to the firm's first quarter, and lists dropped ones", async () => {
    const rows = await sql(`SELECT quarter, status, count(*)::INTEGER AS n FROM topic_continuity GROUP BY ALL ORDER BY ALL`)
    expect(rows.filter((row) => row.quarter === '2024Q1').map((row) => row.status)).toEqual(['first'])
    expect(rows.filter((row) => row.quarter === '2024Q2').every((row) => ['carried', 'dropped', 'new'].includes(String(row.status)))).toBe(true)
    const [links] = await sql(`SELECT count(*) FILTER (status = 'carried' AND (previous_topic_id IS NULL OR similarity < ${defaultMeasures.continuityMinSimilarity}))::INTEGER AS bad_links,
      count(*) FILTER (status = 'carried')::INTEGER AS carried FROM topic_continuity`)
    expect(links!.bad_links).toBe(0)
    expect(Number(links!.carried)).toBeGreaterThan(0)
  })

  it("links a quarter to the one before it from another run under the same root, as if one run had made both", async () => {
    // Given the fixture's calls run quarter by quarter: one run for 2024Q1, then another for 2024Q2, in one root
    const source = (JSON.parse(readFileSync(path.join(fixture.root, 'runs', fixture.runId, 'run.json'), 'utf8')) as {config: {source: string}}).config.source
    const root = temporaryFolder('ftm-continuity-')
    for (const quarter of ['2024Q1', '2024Q2']) {
      const result = await runCli(['run', '--source', source, '--root', root, '--quarters', quarter, '--json'])
      expect(result.exitCode, result.stderr).toBe(0)
    }
    const second = parseJson<InspectResult>(await runCli(['inspect', '--root', root, '--json'])).runId
    // Then the second run's topics are linked to the first run's: the same links as the run that made both quarters
    const separate = await ResultViews.open(openStorage(root), second)
    try {
      const statuses = async (on: ResultViews): Promise<unknown[][]> =>
        (await on.query(`SELECT status, previous_quarter, count(*)::INTEGER FROM topic_continuity WHERE quarter = '2024Q2' GROUP BY ALL ORDER BY ALL`)).rows
      const linked = await statuses(separate)
      expect(linked.map((row) => row[0])).not.toContain('first')
      expect(linked).toEqual(await statuses(views))
    } finally {
      separate.close()
    }
  })

  it("shows a firm's topics with their subject, shares and tone", async () => {
    const result = await inspect('firm', '--firm', fixture.firmIds[0]!)
    expect(result.query!.columns).toEqual(expect.arrayContaining(['subject', 'share', 'presentation_share', 'qa_share', 'net_tone', 'first_raised_by']))
    const subjects = await inspect('subjects', '--firm', fixture.firmIds[0]!)
    expect(subjects.query!.rows.length).toBe(2 * 19) // the firm's two quarters × the default subjects
  })

  it('puts the call structure, the subjects across quarters (whole run and one firm) and the topic measures in the HTML report', async () => {
    const file = path.join(temporaryFolder(), 'report.html')
    await inspect('--report', file)
    const html = readFileSync(file, 'utf8')
    for (const id of ['call-structure', 'subjects-run', 'subjects-firm', 'topic-measures']) expect(html).toContain(`id="${id}"`)
    expect(html).toContain('costs-and-margins')
  })

  it('gives each cross-firm theme its share of a call after ftm themes, adding up to at most 1 per call', async () => {
    const themed = await runCli(['themes', '--run', fixture.runId, '--root', fixture.root, '--json'])
    expect(themed.exitCode).toBe(0)
    const reopened = await ResultViews.open(openStorage(fixture.root), fixture.runId)
    try {
      const result = await reopened.query(`SELECT count(*)::INTEGER AS rows, count(*) FILTER (total > 1 + 1e-9)::INTEGER AS over FROM
        (SELECT firm_id, quarter, sum(sh) AS total FROM panel_themes GROUP BY ALL)`)
      const [row] = rowsAsObjects(result.columns, result.rows)
      expect(Number(row!.rows)).toBeGreaterThan(0)
      expect(Number(row!.rows)).toBeLessThanOrEqual(11)
      expect(row!.over).toBe(0)
    } finally {
      reopened.close()
    }
  })
})
