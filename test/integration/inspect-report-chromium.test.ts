import {existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {type BrowserContext, chromium, type Page} from 'playwright-core'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {renderReport} from '../../src/inspect/report/render-report.js'
import {reportLimits} from '../../src/inspect/report/research-data.js'
import {ResultViews} from '../../src/inspect/views.js'
import {openStorage} from '../../src/storage/open-storage.js'
import {repositoryRoot, runCli} from '../support/cli.js'
import {type InspectFixture, makeInspectFixture} from '../support/inspect-fixture.js'
import {largeReportData} from '../support/large-report-data.js'
import {describeWithService} from '../support/service.js'
import {temporaryFolder} from '../support/sample-subset.js'

const chromiumPath = '/usr/bin/chromium'
const chromiumMissing = existsSync(chromiumPath) ? undefined : `${chromiumPath} is missing (apt-get install chromium)`
const outputFolder = path.join(repositoryRoot, 'test-output')

/** A headless Chromium page that records console problems and every request it makes. */
async function openReport(file: string): Promise<{context: BrowserContext; page: Page; problems: string[]; requests: string[]}> {
  const problems: string[] = []
  const requests: string[] = []
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'ftm-chromium-')), {
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1400, height: 900},
  })
  const page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => requests.push(request.url()))
  await page.goto(`file://${file}`, {waitUntil: 'load'})
  return {context, page, problems, requests}
}

/** Data marks (bars and points) a chart drew, with their rendered size. */
const marks = (page: Page, chart: string): Promise<{value: number; width: number; height: number}[]> =>
  page.$$eval(`figure[data-chart="${chart}"] svg [data-value]`, (elements) =>
    elements.map((element) => {
      const shape = (element.tagName === 'g' ? element.querySelector('rect') : element) as unknown as {getBBox(): {width: number; height: number}}
      const box = shape.getBBox()
      return {value: Number(element.getAttribute('data-value')), width: box.width, height: box.height}
    }),
  )

/** Each chart's drawing width over its card's inner width. */
const chartWidthShares = (page: Page): Promise<{chart: string; share: number}[]> =>
  page.$$eval('figure[data-chart] > svg', (charts) =>
    charts.map((chart) => ({chart: chart.parentElement!.getAttribute('data-chart')!, share: chart.getBoundingClientRect().width / chart.parentElement!.getBoundingClientRect().width})),
  )

/** A full-page screenshot at a width, saved under test-output, with the variance of its grey levels (0 = blank). */
async function screenshot(page: Page, width: number, name: string): Promise<{file: string; variance: number}> {
  await page.setViewportSize({width, height: 900})
  mkdirSync(outputFolder, {recursive: true})
  const file = path.join(outputFolder, name)
  const image = await page.screenshot({path: file, fullPage: true})
  const decoder = await page.context().newPage()
  // Decoded by Chromium itself: grey-level variance over the first 4000 rows of the picture.
  const variance = (await decoder.evaluate(`(async () => {
    const picture = new Image()
    picture.src = 'data:image/png;base64,${image.toString('base64')}'
    await picture.decode()
    const canvas = document.createElement('canvas')
    canvas.width = picture.width
    canvas.height = Math.min(picture.height, 4000)
    const drawing = canvas.getContext('2d')
    drawing.drawImage(picture, 0, 0)
    const pixels = drawing.getImageData(0, 0, canvas.width, canvas.height).data
    let sum = 0, squares = 0
    const count = pixels.length / 4
    for (let index = 0; index < pixels.length; index += 4) {
      const grey = (pixels[index] + pixels[index + 1] + pixels[index + 2]) / 3
      sum += grey
      squares += grey * grey
    }
    return squares / count - (sum / count) ** 2
  })()`)) as number
  await decoder.close()
  return {file, variance}
}

describeWithService('Chromium', chromiumMissing, 'the HTML report of a real run (with themes) rendered in headless Chromium', () => {
  let fixture: InspectFixture
  let browser: Awaited<ReturnType<typeof openReport>>
  let page: Page
  let views: ResultViews

  beforeAll(async () => {
    fixture = await makeInspectFixture()
    const themes = await runCli(['themes', '--root', fixture.root, '--run', fixture.runId])
    expect(themes.exitCode, themes.stderr).toBe(0)
    const report = path.join(temporaryFolder(), 'report.html')
    const result = await runCli(['inspect', '--root', fixture.root, '--report', report])
    expect(result.exitCode, result.stderr).toBe(0)
    views = await ResultViews.open(openStorage(fixture.root), fixture.runId)
    browser = await openReport(report)
    page = browser.page
  })

  afterAll(async () => {
    await browser?.context.close()
    views?.close()
  })

  const scalar = async (sql: string): Promise<number> => Number((await views.query(sql)).rows[0]![0])

  it('draws every chart with its data', async () => {
    const topicsPerFirm = await marks(page, 'topics-per-firm')
    expect(topicsPerFirm).toHaveLength(11)
    expect(topicsPerFirm.every((bar) => bar.value >= 3 && bar.width > 0)).toBe(true)
    const sizes = await marks(page, 'topic-sizes')
    const topics = fixture.run.summary.quarters.reduce((sum, quarter) => sum + quarter.topics, 0)
    expect(sizes.reduce((sum, bar) => sum + bar.value, 0)).toBe(topics)
    expect(sizes.some((bar) => bar.height > 0)).toBe(true)
    const failures = await marks(page, 'failures')
    expect(failures).toEqual([expect.objectContaining({value: 1})])
    expect(failures[0]!.width).toBeGreaterThan(0)
    const throughput = await marks(page, 'throughput')
    expect(throughput).toHaveLength(4)
    expect(throughput.every((bar) => bar.value > 0 && bar.width > 0)).toBe(true)
    expect((await marks(page, 'stages')).length).toBe(7)
    // The subject breakdown: one bar per subject of the topics, their shares summing to the whole.
    const subjects = await marks(page, 'subject-shares')
    expect(subjects.length).toBe(await scalar(`SELECT count(DISTINCT coalesce(subject, 'no subject')) FROM topics`))
    expect(subjects.reduce((sum, bar) => sum + bar.value, 0)).toBeCloseTo(100, 0)
    const leading = await marks(page, 'leading-subjects')
    expect(leading.reduce((sum, bar) => sum + bar.value, 0)).toBe(await scalar(`SELECT count(*) FROM firms WHERE status = 'ok'`))
  })

  it('draws one keyword line per keyword across both quarters', async () => {
    const series = await page.$$eval('figure[data-chart="keyword-trends"] svg g.series', (groups) =>
      groups.map((group) => ({name: group.getAttribute('data-name'), points: group.querySelectorAll('circle.point').length, path: group.querySelector('path')!.getAttribute('d')})),
    )
    expect(series.length).toBeGreaterThanOrEqual(3)
    for (const line of series) {
      expect(line.points).toBe(2)
      expect(line.path).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/)
    }
  })

  it('places every topic of the run on the map, each linked to its sentences, and shows its label, firm and keywords on hover', async () => {
    const points = await page.$$eval('svg.topic-map circle.topic', (circles) => circles.map((circle) => ({href: circle.parentElement!.getAttribute('href')!, title: circle.querySelector('title')!.textContent!})))
    expect(points.length).toBe(await scalar('SELECT count(*) FROM topics'))
    const anchors = new Set(await page.$$eval('article.topic', (articles) => articles.map((article) => `#${article.id}`)))
    expect(points.every((point) => anchors.has(point.href))).toBe(true)
    const [label, firmName, keyword] = (await views.query('SELECT label, firm_name, keywords[1] FROM topics ORDER BY quarter, firm_id, topic_id LIMIT 1')).rows[0]!.map(String)
    await page.hover('svg.topic-map circle.topic >> nth=0')
    const tip = await page.textContent('#map-tip')
    expect(await page.isVisible('#map-tip')).toBe(true)
    for (const part of [label!, firmName!, keyword!]) expect(tip).toContain(part)
  })

  it('finds a known sentence by search, and its link jumps to the topic with its sentences', async () => {
    const [text, quarter, firmId, topicId] = (await views.query('SELECT text, quarter, firm_id, topic_id FROM topic_sentences WHERE rank = 1 ORDER BY length(text) DESC LIMIT 1')).rows[0]!.map(String)
    const phrase = text!.slice(10, 40)
    await page.fill('#search', phrase)
    const results = await page.$$eval('#search-results li.sentence', (items) => items.map((item) => ({href: item.querySelector('a')!.getAttribute('href'), text: item.textContent!})))
    const anchor = `#t-${quarter}-${firmId}-${topicId}`.replaceAll(/[^\w#-]/g, '_')
    const hit = results.find((result) => result.href === anchor)
    expect(hit, JSON.stringify(results)).toBeDefined()
    expect(hit!.text).toContain(phrase)
    await page.click(`#search-results li.sentence a[href="${anchor}"]`)
    expect(await page.evaluate('location.hash')).toBe(anchor)
    const target = (await page.evaluate(`(() => {
      const article = document.querySelector('article.topic:target')
      if (!article) return null
      const box = article.getBoundingClientRect()
      const list = article.parentElement.getBoundingClientRect()
      return {text: article.textContent, inView: box.top >= list.top - 1 && box.top < Math.min(list.bottom, innerHeight)}
    })()`)) as {text: string; inView: boolean} | null
    expect(target?.text).toContain(text!.slice(0, 60))
    expect(target?.inView).toBe(true)
    await page.fill('#search', '')
  })

  it('lists the themes of the run with their firms', async () => {
    const themes = await scalar('SELECT count(*) FROM themes')
    expect(themes).toBeGreaterThan(0)
    const rows = await page.$$eval('#themes tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''))
    expect(rows).toHaveLength(themes)
    const [label, firmName] = (await views.query('SELECT t.label, m.firm_name FROM themes t JOIN theme_members m USING (quarter, theme_id) ORDER BY t.quarter, t.theme_id LIMIT 1')).rows[0]!.map(String)
    expect(rows.some((row) => row.includes(label!) && row.includes(firmName!))).toBe(true)
    const links = await page.$$eval('#themes tbody a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')!))
    expect(links.length).toBeGreaterThan(0)
    for (const link of links) expect(await page.$(`article.topic${link}`)).not.toBeNull()
  })

  it('puts operations in their own part after the research content', async () => {
    const order = await page.$$eval('main > *', (children) => children.map((child) => child.id))
    const operations = order.indexOf('operations')
    expect(order.indexOf('research')).toBe(0)
    const research = ['overview', 'topic-map', 'search-section', 'themes', 'subject-shares', 'topics-per-firm', 'keyword-trends', 'topic-sentences']
    expect(research.filter((id) => !(order.indexOf(id) > 0 && order.indexOf(id) < operations))).toEqual([])
    const operational = ['run-facts', 'failures', 'throughput', 'stages', 'failure-list', 'slowest-firms']
    expect(operational.filter((id) => !(order.indexOf(id) > operations))).toEqual([])
  })

  it('shows the failed firm and filters the topic table', async () => {
    expect(await page.textContent('#failure-list')).toContain(fixture.failingFirm)
    const firm = fixture.firmIds[1]!
    await page.fill('input.filter', firm)
    const visible = await page.$$eval('#firm-topics tbody tr', (rows) => rows.filter((row) => !(row as unknown as {hidden: boolean}).hidden).map((row) => row.textContent ?? ''))
    expect(visible.length).toBeGreaterThan(0)
    expect(visible.every((text) => text.includes(firm))).toBe(true)
    await page.fill('input.filter', '')
  })

  it('draws each chart across its whole card at 1400 and 800 pixels, and saves both screenshots', async () => {
    for (const width of [1400, 800]) {
      const {file, variance} = await screenshot(page, width, `report-${width}.png`)
      expect(statSync(file).size).toBeGreaterThan(10_000)
      expect(variance).toBeGreaterThan(100)
      const shares = await chartWidthShares(page)
      expect(shares.length).toBeGreaterThanOrEqual(10)
      expect(shares.filter((chart) => chart.share < 0.97)).toEqual([])
    }
    await page.setViewportSize({width: 1400, height: 900})
  })

  it('loads nothing from the network and logs no errors', () => {
    expect(browser.requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual([])
    expect(browser.problems).toEqual([])
  })
})

describeWithService('Chromium', chromiumMissing, 'the HTML report of a 5000-firm run (data built in memory at the report limits)', () => {
  let browser: Awaited<ReturnType<typeof openReport>>
  let bytes: number
  const data = largeReportData(5000)

  beforeAll(async () => {
    const html = renderReport(data)
    bytes = Buffer.byteLength(html)
    const file = path.join(temporaryFolder(), 'report-5000.html')
    writeFileSync(file, html)
    browser = await openReport(file)
  })

  afterAll(async () => {
    await browser?.context.close()
  })

  it('stays a file of a few megabytes', () => {
    // 10,000 firm-quarters, ~100,000 topics: the sample of 3000 topics with their sentences is most of it (3.2 MB when this was written).
    expect(data.research.totalTopics).toBeGreaterThan(90_000)
    expect(bytes).toBeLessThan(6 * 1024 * 1024)
  })

  it('draws distributions instead of one bar per firm, the sampled map, and says it is a sample', async () => {
    const page = browser.page
    expect((await marks(page, 'topics-per-firm')).length).toBeLessThanOrEqual(20)
    expect((await marks(page, 'topic-sizes')).length).toBeLessThanOrEqual(20)
    expect(await page.$$eval('svg.topic-map circle.topic', (circles) => circles.length)).toBe(data.research.topics.length)
    expect(data.research.topics.length).toBeLessThanOrEqual(reportLimits.topics)
    expect(await page.textContent('#topic-map figcaption')).toContain(`sample of ${data.research.topics.length.toLocaleString('en-US')} of the run’s`)
    expect(await page.$$eval('#themes tbody tr', (rows) => rows.length)).toBe(data.research.themes.length)
    const {variance} = await screenshot(page, 1400, 'report-5000-firms-1400.png')
    expect(variance).toBeGreaterThan(100)
    await page.fill('#search', 'sentence-free phrase nobody said')
    expect(await page.textContent('#search-count')).toContain('0 topics and 0 sentences match')
    await page.fill('#search', 'guidance')
    expect(await page.textContent('#search-count')).toContain('(the first 50 shown)')
  })

  it('loads nothing from the network and logs no errors', () => {
    expect(browser.requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual([])
    expect(browser.problems).toEqual([])
  })
})
