import {existsSync, mkdirSync, mkdtempSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {type BrowserContext, chromium, type Page} from 'playwright-core'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {repositoryRoot, runCli} from '../support/cli.js'
import {type InspectFixture, makeInspectFixture} from '../support/inspect-fixture.js'
import {describeWithService} from '../support/service.js'
import {temporaryFolder} from '../support/sample-subset.js'

const chromiumPath = '/usr/bin/chromium'
const chromiumMissing = existsSync(chromiumPath) ? undefined : `${chromiumPath} is missing (apt-get install chromium)`

describeWithService('Chromium', chromiumMissing, 'the HTML report rendered in headless Chromium', () => {
  let fixture: InspectFixture
  let context: BrowserContext
  let page: Page
  const problems: string[] = []
  const requests: string[] = []

  beforeAll(async () => {
    fixture = await makeInspectFixture()
    const report = path.join(temporaryFolder(), 'report.html')
    const result = await runCli(['inspect', '--root', fixture.root, '--report', report])
    expect(result.exitCode, result.stderr).toBe(0)
    context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'ftm-chromium-')), {
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: {width: 1440, height: 900},
    })
    page = await context.newPage()
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(`file://${report}`, {waitUntil: 'load'})
  })

  afterAll(async () => {
    await context?.close()
  })

  /** Data marks (bars and points) a chart drew, with their rendered size. */
  const marks = (chart: string): Promise<{value: number; width: number; height: number}[]> =>
    page.$$eval(`figure[data-chart="${chart}"] svg [data-value]`, (elements) =>
      elements.map((element) => {
        const shape = (element.tagName === 'g' ? element.querySelector('rect') : element) as unknown as {getBBox(): {width: number; height: number}}
        const box = shape.getBBox()
        return {value: Number(element.getAttribute('data-value')), width: box.width, height: box.height}
      }),
    )

  it('draws every chart with its data', async () => {
    const topicsPerFirm = await marks('topics-per-firm')
    expect(topicsPerFirm).toHaveLength(11)
    expect(topicsPerFirm.every((bar) => bar.value >= 3 && bar.width > 0)).toBe(true)
    const sizes = await marks('topic-sizes')
    const topics = fixture.run.summary.quarters.reduce((sum, quarter) => sum + quarter.topics, 0)
    expect(sizes.reduce((sum, bar) => sum + bar.value, 0)).toBe(topics)
    expect(sizes.some((bar) => bar.height > 0)).toBe(true)
    const failures = await marks('failures')
    expect(failures).toEqual([expect.objectContaining({value: 1})])
    expect(failures[0]!.width).toBeGreaterThan(0)
    const throughput = await marks('throughput')
    expect(throughput).toHaveLength(4)
    expect(throughput.every((bar) => bar.value > 0 && bar.width > 0)).toBe(true)
    expect((await marks('stages')).length).toBe(7)
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

  it('shows the failed firm and filters the topic table', async () => {
    expect(await page.textContent('#failure-list')).toContain(fixture.failingFirm)
    const firm = fixture.firmIds[1]!
    await page.fill('input.filter', firm)
    const visible = await page.$$eval('#firm-topics tbody tr', (rows) => rows.filter((row) => !(row as unknown as {hidden: boolean}).hidden).map((row) => row.textContent ?? ''))
    expect(visible.length).toBeGreaterThan(0)
    expect(visible.every((text) => text.includes(firm))).toBe(true)
    await page.fill('input.filter', '')
  })

  it('loads nothing from the network and logs no errors', () => {
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([])
    expect(problems).toEqual([])
  })

  it('saves a screenshot under test-output', async () => {
    const folder = path.join(repositoryRoot, 'test-output')
    mkdirSync(folder, {recursive: true})
    const file = path.join(folder, 'report.png')
    await page.screenshot({path: file, fullPage: true})
    expect(statSync(file).size).toBeGreaterThan(10_000)
  })
})
