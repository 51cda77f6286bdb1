import {copyFileSync, cpSync, existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {InspectResult} from '../../src/commands/inspect.js'
import {ResultViews} from '../../src/inspect/views.js'
import {openStorage} from '../../src/storage/open-storage.js'
import {rowsAsObjects} from '../../src/ui/format-table.js'
import {parseJson, runCli} from '../support/cli.js'
import {type InspectFixture, makeInspectFixture} from '../support/inspect-fixture.js'
import {temporaryFolder} from '../support/sample-subset.js'

describe('ftm inspect over a real run (6 firms × 2 quarters, one failing firm)', () => {
  let fixture: InspectFixture
  const inspect = async (...args: string[]): Promise<InspectResult> => parseJson<InspectResult>(await runCli(['inspect', '--root', fixture.root, ...args, '--json']))
  // Checks run in process over the same views the CLI opens; the CLI itself is exercised by the report tests.
  let views: ResultViews
  const sql = async (query: string, ...params: string[]): Promise<Record<string, unknown>[]> => {
    const result = await views.query(query, params)
    return rowsAsObjects(result.columns, result.rows)
  }
  const cliSql = async (query: string, ...params: string[]): Promise<Record<string, unknown>[]> => {
    const result = await inspect('--sql', query, ...params.flatMap((param) => ['--param', param]))
    if (!result.query) throw new Error(`The query failed: ${JSON.stringify(result)}`)
    return result.query.rows
  }
  const scalar = async (query: string): Promise<unknown> => Object.values((await sql(query))[0]!)[0]

  beforeAll(async () => {
    fixture = await makeInspectFixture()
    // An uncommitted leftover (data written, no firms file): readers must never see it.
    const folder = path.join(fixture.root, 'topics', 'quarter=2024Q1', `run=${fixture.runId}`)
    copyFileSync(path.join(folder, 'part-00000-00000.parquet'), path.join(folder, 'part-00000-00099.parquet'))
    views = await ResultViews.open(openStorage(fixture.root), fixture.runId)
  })

  afterAll(() => views?.close())

  it('views firms: every firm of every quarter once, the failing one with its reason', async () => {
    const rows = await sql('SELECT quarter, firm_id, status, error_kind FROM firms ORDER BY quarter, firm_id')
    expect(rows).toHaveLength(12)
    expect(rows.filter((row) => row.status === 'failed')).toEqual([{quarter: '2024Q2', firm_id: fixture.failingFirm, status: 'failed', error_kind: 'too_few_sentences'}])
  })

  it('views topics and sentences from committed chunks only', async () => {
    const [counts] = await sql(`SELECT (SELECT count(*) FROM topics)::INTEGER AS topics, (SELECT count(DISTINCT (quarter, firm_id, topic_id)) FROM topics)::INTEGER AS distinct_topics,
      (SELECT count(*) FROM firms f LEFT JOIN (SELECT quarter, firm_id, count(*) AS n FROM sentences GROUP BY ALL) s USING (quarter, firm_id)
       WHERE f.status = 'ok' AND f.n_sentences IS DISTINCT FROM s.n)::INTEGER AS mismatched`)
    const committedTopics = fixture.run.summary.quarters.reduce((sum, quarter) => sum + quarter.topics, 0)
    expect(counts).toEqual({topics: committedTopics, distinct_topics: committedTopics, mismatched: 0})
  })

  it('views runs from run records and partitions from progress files', async () => {
    const [run] = await sql('SELECT run_id, status, quarters, firms, partitions, executor, parallel, seconds > 0 AS timed FROM runs')
    expect(run).toEqual({run_id: fixture.runId, status: 'succeeded', quarters: fixture.quarters, firms: 12, partitions: 4, executor: 'process', parallel: 2, timed: true})
    const partitions = await sql('SELECT quarter, partition, phase, firms_committed, firms_per_second > 0 AS moving FROM partitions ORDER BY quarter, partition')
    expect(partitions).toEqual(fixture.quarters.flatMap((quarter) => [0, 1].map((partition) => ({quarter, partition, phase: 'done', firms_committed: 3, moving: true}))))
  })

  it('derives topic_keywords, topic_sentences, failures and stage_timings', async () => {
    const [derived] = await sql(`SELECT
      (SELECT bool_and(k.keyword = t.keywords[k.rank] AND k.score = t.keyword_scores[k.rank]) FROM topic_keywords k JOIN topics t USING (quarter, firm_id, topic_id)) AS keywords_match,
      (SELECT count(*) FROM topic_keywords)::INTEGER AS keywords, (SELECT sum(len(keywords)) FROM topics)::INTEGER AS expected_keywords,
      (SELECT bool_and(s.topic_id = t.topic_id) FROM topic_sentences t JOIN sentences s USING (quarter, firm_id, sentence_index)) AS own_topic,
      (SELECT count(*) FROM topic_sentences WHERE text IS NOT NULL)::INTEGER AS representative,
      (SELECT sum(len(representative_sentences)) FROM topics)::INTEGER AS expected_representative,
      (SELECT min(rank) FROM topic_sentences)::INTEGER AS first_rank`)
    expect(derived).toEqual({
      keywords_match: true,
      keywords: derived!.expected_keywords,
      expected_keywords: expect.any(Number),
      own_topic: true,
      representative: derived!.expected_representative,
      expected_representative: expect.any(Number),
      first_rank: 1,
    })
    expect(await sql("SELECT firm_id, error_kind, error_message LIKE '%pipeline.minSentences%' AS explained FROM failures")).toEqual([
      {firm_id: fixture.failingFirm, error_kind: 'too_few_sentences', explained: true},
    ])
    const stages = await sql('SELECT stage, count(*)::INTEGER AS firms FROM stage_timings GROUP BY stage, stage_order ORDER BY stage_order')
    expect(stages.map((row) => row.stage)).toEqual(['fetch', 'preprocess', 'embed', 'reduce', 'cluster', 'keywords', 'label'])
    expect(stages.find((row) => row.stage === 'embed')!.firms).toBe(11)
  })

  it('binds --param values to $1, $2…', async () => {
    const rows = await cliSql('SELECT firm_id FROM firms WHERE quarter = $1 AND status = $2 AND n_topics >= $3::INTEGER ORDER BY firm_id', '2024Q2', 'ok', '1')
    expect(rows.map((row) => row.firm_id)).toEqual(fixture.firmIds.filter((id) => id !== fixture.failingFirm))
    const big = await cliSql('SELECT count(*)::INTEGER AS n FROM topics WHERE size >= $1::INTEGER', '10')
    expect(big[0]!.n).toBe(await scalar('SELECT count(*)::INTEGER FROM topics WHERE size >= 10'))
  })

  it('shows the run summary with failures', async () => {
    const {summary} = await inspect()
    expect(summary!.quarters.map((quarter) => [quarter.quarter, quarter.firms, quarter.ok, quarter.failed])).toEqual([
      ['2024Q1', 6, 6, 0],
      ['2024Q2', 6, 5, 1],
    ])
    expect(summary!.failures).toEqual([expect.objectContaining({errorKind: 'too_few_sentences', firms: 1})])
  })

  it("reports a firm's topics with sizes, keywords, labels and representative sentences", async () => {
    const firm = fixture.firmIds[0]!
    const {query} = await inspect('firm', '--firm', firm, '--quarter', '2024Q1')
    const expected = await sql(`SELECT topic_id, size FROM topics WHERE firm_id = $1 AND quarter = '2024Q1' ORDER BY size DESC, topic_id`, firm)
    expect(query!.rows.map((row) => ({topic_id: row.topic_id, size: row.size}))).toEqual(expected)
    for (const row of query!.rows) {
      expect(row.label).not.toBe('')
      expect((row.keywords as string[]).length).toBeGreaterThanOrEqual(3)
      expect((row.representative as string[]).length).toBeGreaterThanOrEqual(1)
    }
    const sentence = (query!.rows[0]!.representative as string[])[0]!
    expect(await sql('SELECT topic_id FROM sentences WHERE firm_id = $1 AND text = $2', firm, sentence)).toEqual([{topic_id: query!.rows[0]!.topic_id}])
  })

  it('asks for --firm when the firm report has none', async () => {
    const result = await runCli(['inspect', 'firm', '--root', fixture.root])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--firm')
  })

  it('reports failures', async () => {
    const {query} = await inspect('failures')
    expect(query!.rows).toEqual([expect.objectContaining({quarter: '2024Q2', firm_id: fixture.failingFirm, error_kind: 'too_few_sentences', firms_of_kind: 1})])
  })

  it('reports the keywords most firms share per quarter and their change from the quarter before', async () => {
    const {query} = await inspect('keywords', '--limit', '5')
    const rows = query!.rows
    for (const quarter of fixture.quarters) expect(rows.filter((row) => row.quarter === quarter)).toHaveLength(5)
    expect(rows.find((row) => row.quarter === '2024Q1')).toMatchObject({rank: 1, previous_quarter: null, change: null})
    const expected = await sql(`WITH modeled AS (SELECT quarter, count(*) AS firms FROM firms WHERE status = 'ok' GROUP BY quarter)
                                SELECT k.quarter, k.keyword AS term, (count(DISTINCT k.firm_id) / any_value(m.firms))::DOUBLE AS share
                                FROM topic_keywords k JOIN modeled m USING (quarter) GROUP BY k.quarter, k.keyword`)
    const share = (quarter: string, term: unknown): number => Number(expected.find((row) => row.quarter === quarter && row.term === term)?.share ?? 0)
    for (const row of rows) {
      expect(row.share).toBeCloseTo(share(String(row.quarter), row.term), 2)
      if (row.quarter === '2024Q1') continue
      expect(row.previous_share).toBeCloseTo(share('2024Q1', row.term), 2)
      expect(row.change).toBeCloseTo(share('2024Q2', row.term) - share('2024Q1', row.term), 2)
    }
    const shares = rows.filter((row) => row.quarter === '2024Q1').map((row) => Number(row.share))
    expect(shares).toEqual([...shares].sort((a, b) => b - a))
  })

  it('reports the labels most firms share, narrowed to a quarter', async () => {
    const {query} = await inspect('labels', '--quarter', '2024Q2', '--limit', '3')
    expect(query!.rows).toHaveLength(3)
    expect(new Set(query!.rows.map((row) => row.quarter))).toEqual(new Set(['2024Q2']))
    expect(query!.rows.map((row) => row.rank)).toEqual([1, 2, 3])
  })

  it('reports the slowest firms and the time per stage', async () => {
    const slowest = (await inspect('slowest', '--limit', '3')).query!.rows
    expect(slowest.map((row) => Number(row.total_ms))).toEqual(
      (await sql('SELECT total_ms FROM firms ORDER BY total_ms DESC LIMIT 3')).map((row) => Number(row.total_ms)),
    )
    expect(slowest[0]!.slowest_stage).toBe((await sql(`SELECT arg_max(stage, ms) AS stage FROM stage_timings WHERE firm_id = $1 AND quarter = $2`, String(slowest[0]!.firm_id), String(slowest[0]!.quarter)))[0]!.stage)
    const stages = (await inspect('stages')).query!.rows
    expect(stages).toHaveLength(7)
    expect(stages.reduce((sum, row) => sum + Number(row.share), 0)).toBeCloseTo(1, 2)
  })

  it('reports throughput per partition and lists the views', async () => {
    expect((await inspect('partitions')).query!.rows).toHaveLength(4)
    const views = (await inspect('views')).query!.rows.map((row) => row.view)
    expect(views).toEqual(expect.arrayContaining(['firms', 'topics', 'sentences', 'runs', 'partitions', 'topic_keywords', 'topic_sentences', 'failures', 'stage_timings']))
  })

  it('writes CSV, JSON and Parquet files with --output', async () => {
    const folder = temporaryFolder()
    const query = 'SELECT firm_id, quarter, n_topics FROM firms ORDER BY quarter, firm_id'
    for (const file of ['rows.csv', 'rows.json', 'out/rows.parquet']) await runCli(['inspect', '--root', fixture.root, '--sql', query, '--output', path.join(folder, file)])
    expect(readFileSync(path.join(folder, 'rows.csv'), 'utf8').trim().split('\n')).toHaveLength(13)
    expect(JSON.parse(readFileSync(path.join(folder, 'rows.json'), 'utf8'))).toHaveLength(12)
    const back = await sql(`SELECT count(*)::INTEGER AS n, count(DISTINCT firm_id)::INTEGER AS firms FROM read_parquet('${path.join(folder, 'out', 'rows.parquet')}')`)
    expect(back).toEqual([{n: 12, firms: 6}])
    const keywords = path.join(folder, 'keywords.parquet')
    await runCli(['inspect', 'keywords', '--root', fixture.root, '--format', 'parquet', '--output', keywords])
    expect(await scalar(`SELECT count(*)::INTEGER FROM read_parquet('${keywords}')`)).toBe(40)
  })

  it('refuses Parquet to the terminal', async () => {
    const result = await runCli(['inspect', '--root', fixture.root, '--sql', 'SELECT 1', '--format', 'parquet'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--output')
  })

  it('refuses an unknown run, quarter or firm, naming the closest one, instead of printing nothing', async () => {
    const wrongRun = `${fixture.runId.slice(0, -1)}${fixture.runId.endsWith('0') ? '1' : '0'}`
    const cases: [string[], RegExp][] = [
      [['--run', wrongRun], new RegExp(`no run ${wrongRun}[\\s\\S]*Did you mean ${fixture.runId}`)],
      [['keywords', '--quarter', '2030Q1'], /no results for quarter 2030Q1[\s\S]*Did you mean 2024Q1\? Known quarters: 2024Q1, 2024Q2/],
      [['firm', '--firm', '999'], /no firm 999[\s\S]*Did you mean/],
    ]
    for (const [args, message] of cases) {
      const result = await runCli(['inspect', '--root', fixture.root, ...args])
      expect(result.exitCode, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(message)
    }
  })

  it('writes the summary to --output s.csv, and refuses k.xlsx instead of writing a text table', async () => {
    const folder = temporaryFolder()
    const written = await runCli(['inspect', '--root', fixture.root, '--output', path.join(folder, 's.csv')])
    expect(written.exitCode).toBe(0)
    expect(readFileSync(path.join(folder, 's.csv'), 'utf8').trim().split('\n')).toEqual([
      'quarter,firms,ok,failed,topics,sentences',
      expect.stringMatching(/^2024Q1,6,6,0,\d+,\d+$/),
      expect.stringMatching(/^2024Q2,6,5,1,\d+,\d+$/),
    ])
    const refused = await runCli(['inspect', '--root', fixture.root, '--sql', 'SELECT 1', '--output', path.join(folder, 'k.xlsx')])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toMatch(/\.xlsx[\s\S]*Did you mean k\.csv\?/)
    expect(existsSync(path.join(folder, 'k.xlsx'))).toBe(false)
  })

  it('names a mistyped flag (--formt) and a mistyped command (inspct) with the closest one', async () => {
    const flag = await runCli(['inspect', '--root', fixture.root, '--formt', 'csv'])
    expect(flag.exitCode).toBe(2)
    expect(flag.stderr).toContain('ftm inspect has no flag --formt.')
    expect(flag.stderr).toContain('Did you mean --format?')
    const command = await runCli(['inspct'])
    expect(command.exitCode).toBe(2)
    expect(command.stderr).toContain('Did you mean `ftm inspect`?')
  })

  it('writes a DuckDB database that stands on its own', async () => {
    const copy = temporaryFolder()
    cpSync(fixture.root, copy, {recursive: true})
    const database = path.join(temporaryFolder(), 'results.duckdb')
    const result = await runCli(['inspect', '--root', copy, '--database', database, '--json'])
    expect(parseJson<InspectResult>(result).database).toBe(database)
    for (const table of ['firms', 'topics', 'sentences']) rmSync(path.join(copy, table), {recursive: true})
    const counts = await cliSql(`ATTACH '${database}' AS saved (READ_ONLY);
      SELECT (SELECT count(*) FROM saved.firms)::INTEGER AS firms, (SELECT count(*) FROM saved.topic_keywords)::INTEGER AS keywords,
             (SELECT count(*) FROM saved.runs)::INTEGER AS runs, (SELECT count(*) FROM saved.failures)::INTEGER AS failures`)
    expect(counts).toEqual([{firms: 12, keywords: await scalar('SELECT count(*)::INTEGER FROM topic_keywords'), runs: 1, failures: 1}])
  })

  it('writes a self-contained HTML report', async () => {
    const file = path.join(temporaryFolder(), 'report.html')
    const result = await runCli(['inspect', '--root', fixture.root, '--report', file])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(existsSync(file)).toBe(true)
    const html = readFileSync(file, 'utf8')
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i)
    expect(html).toContain("default-src 'none'")
    for (const chart of ['topics-per-firm', 'topic-sizes', 'keyword-trends', 'failures', 'throughput']) expect(html).toContain(`data-chart="${chart}"`)
    expect(html).toContain(fixture.failingFirm)
  })
})
