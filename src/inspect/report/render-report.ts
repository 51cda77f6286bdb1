import type {Cell} from '../views.js'
import {measureSections} from './measure-report.js'
import type {ReportData, ReportTable} from './report-data.js'
import {reportScript, reportStyle} from './report-assets.js'
import {reportLimits} from './research-data.js'
import {leadingSubjectChart, sampleNote, searchBox, subjectShareChart, themeTable, topicList, topicMap} from './research-sections.js'
import {escapeXml, formatNumber, histogram, horizontalBars, lineChart, palette, verticalBars} from './svg-charts.js'

/** Above this many firm-quarters, topics per firm is drawn as a histogram instead of one bar per firm. */
const barsPerFirmLimit = 40

/** The report as one self-contained HTML page: inline CSS, SVG and script; a content policy forbids any fetch. */
export function renderReport(data: ReportData, generatedAt: Date = new Date()): string {
  const title = `ftm run ${data.runId}`
  const research = data.research
  const sampled = sampleNote(research)
  const researchSections = [
    overview(data),
    chart('topic-map', 'Topic map', topicMap(research), `Each point is a firm’s topic, placed by the first two principal components of the topic embeddings (nearby points talk about similar things) and coloured by subject. Hover for the label, firm and keywords; click for its sentences. ${sampled}`, true),
    `<section id="search-section" class="wide"><h2>Search topics and sentences</h2>${searchBox()}<p class="muted">Searches the labels, firms, keywords and representative sentences of the topics listed below. ${escapeXml(sampled)}</p></section>`,
    `<section id="themes" class="wide"><h2>Themes across firms</h2>${themeTable(research)}${themeNote(research)}</section>`,
    chart('subject-shares', 'Subjects: share of the run', subjectShareChart(research), 'Share of all topic sentences whose topic has the subject (taxonomy of the measures); hover for topics and firms.'),
    chart('leading-subjects', 'Subjects leading a call', leadingSubjectChart(research), 'Calls (firm-quarters) whose largest subject share is the subject.'),
    chart('topics-per-firm', 'Topics per firm', topicsPerFirmChart(data), 'Topics found per firm and quarter (failed firms have none); a histogram beyond 40 firm-quarters.'),
    chart('topic-sizes', 'Topic size distribution', verticalBars(histogram(data.topicSizes), {yLabel: 'topics', xLabel: 'sentences in the topic'}), `${formatNumber(data.topicSizes.length)} topics.`),
    chart('keyword-trends', 'Keyword trends across quarters', keywordTrendChart(data), 'Share of modeled firms with a topic carrying the keyword, for the keywords most firms share.'),
    ...(data.measures ? measureSections(data.measures, chart) : []),
    table('firm-topics', 'Topics of the first firms', data.firmTopics, true),
    ...(data.measures ? [table('topic-measures', 'Subject, structure and tone of the first firms’ topics', data.measures.topics, true)] : []),
    `<section id="topic-sentences" class="wide"><h2>Topics and their representative sentences</h2><p class="muted">${escapeXml(sampled)} Up to ${reportLimits.sentencesPerTopic} sentences per topic, most representative first.</p>${topicList(research)}</section>`,
  ]
  const operationSections = [
    runFacts(data),
    chart('failures', 'Failures by kind', failureChart(data), `${data.summary.failures.reduce((sum, failure) => sum + failure.firms, 0)} failed firms.`),
    chart('throughput', 'Throughput per partition', throughputChart(data), 'Firms per second over each partition’s latest attempt (from its progress file).'),
    chart('stages', 'Time per stage', stageChart(data), 'Mean milliseconds per firm in each pipeline stage.'),
    table('failure-list', 'Failed firms', data.failures),
    table('slowest-firms', 'Slowest firms', data.slowest),
  ]
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeXml(title)}</title>
<style>${reportStyle}</style>
</head>
<body>
<header><h1>${escapeXml(title)}</h1><p class="muted">Generated ${escapeXml(generatedAt.toISOString())} by ftm inspect --report. Committed chunks only.${data.run ? ` Status ${escapeXml(data.run.status)}.` : ''}</p>
<nav><a href="#research">Research</a> · <a href="#topic-map">Topic map</a> · <a href="#search-section">Search</a> · <a href="#themes">Themes</a> · <a href="#subject-shares">Subjects</a> · <a href="#topic-sentences">Sentences</a> · <a href="#operations">Operations</a></nav></header>
<main>
<h2 class="part" id="research">Research</h2>
${researchSections.join('\n')}
<h2 class="part" id="operations">Operations</h2>
${operationSections.join('\n')}
</main>
<script>${reportScript}</script>
</body>
</html>
`
}

function themeNote(research: ReportData['research']): string {
  if (research.themes.length === 0) return ''
  const capped = research.totalThemes > research.themes.length ? ` The largest ${reportLimits.themesPerQuarter} themes of each quarter are listed (${formatNumber(research.totalThemes)} in all).` : ''
  return `<p class="muted">Themes group similar topics of different firms (\`ftm themes\`). At most ${reportLimits.firmsPerTheme} firms are named per theme; a linked firm’s topic is in the list of sentences below.${capped}</p>`
}

function overview(data: ReportData): string {
  const totals = data.summary.quarters.reduce(
    (sum, quarter) => ({firms: sum.firms + quarter.firms, ok: sum.ok + quarter.ok, failed: sum.failed + quarter.failed, topics: sum.topics + quarter.topics, sentences: sum.sentences + quarter.sentences}),
    {firms: 0, ok: 0, failed: 0, topics: 0, sentences: 0},
  )
  const figures = Object.entries(totals).map(([name, value]) => `<div class="figure"><span class="number">${formatNumber(value)}</span><span class="muted">${name}</span></div>`)
  const spread = data.summary.topicsPerFirm
  const quarters: ReportTable = {
    columns: ['quarter', 'firms', 'ok', 'failed', 'topics', 'sentences'],
    rows: data.summary.quarters.map((quarter) => [quarter.quarter, quarter.firms, quarter.ok, quarter.failed, quarter.topics, quarter.sentences]),
  }
  return `<section id="overview" class="wide"><h2>Overview</h2><div class="figures">${figures.join('')}</div>
<p>Topics per firm: min ${spread.min}, median ${spread.median}, mean ${spread.mean}, max ${spread.max}.</p>${htmlTable(quarters)}</section>`
}

function runFacts(data: ReportData): string {
  const run = data.run
  const facts = run
    ? `<p>Status <strong class="status-${escapeXml(run.status)}">${escapeXml(run.status)}</strong>${run.reason ? ` (${escapeXml(run.reason)})` : ''} · started ${escapeXml(run.createdAt)}${run.finishedAt ? ` · finished ${escapeXml(run.finishedAt)}` : ''} · executor ${escapeXml(run.executor)}, parallel ${run.parallel} · source ${escapeXml(run.source)}</p>`
    : '<p class="empty">No run record.</p>'
  return `<section id="run-facts" class="wide"><h2>Run</h2>${facts}</section>`
}

function chart(id: string, heading: string, body: string, caption: string, wide = false): string {
  return `<section id="${id}" class="chart${wide ? ' wide' : ''}"><h2>${escapeXml(heading)}</h2><figure data-chart="${id}">${body}<figcaption class="muted">${escapeXml(caption)}</figcaption></figure></section>`
}

function empty(message: string): string {
  return `<p class="empty">${escapeXml(message)}</p>`
}

function topicsPerFirmChart(data: ReportData): string {
  if (data.topicsPerFirm.length === 0) return empty('No firm was modeled.')
  if (data.topicsPerFirm.length > barsPerFirmLimit) {
    return verticalBars(histogram(data.topicsPerFirm.map((firm) => firm.topics)), {yLabel: 'firms', xLabel: 'topics per firm'})
  }
  const quarterColor = new Map(data.quarters.map((quarter, index) => [quarter, palette[index % palette.length]!]))
  const groups = data.quarters.map((quarter) => {
    const firms = data.topicsPerFirm.filter((firm) => firm.quarter === quarter)
    if (firms.length === 0) return ''
    const bars = firms.map((firm) => ({label: `${firm.firmId} ${firm.firmName}`, value: firm.topics, title: `${quarter} ${firm.firmName} (${firm.firmId}): ${firm.topics} topics`}))
    return `<h3>${escapeXml(quarter)}</h3>${horizontalBars(bars, {unit: 'topics', color: quarterColor.get(quarter)})}`
  })
  return groups.join('\n')
}

function keywordTrendChart(data: ReportData): string {
  if (data.keywordTrends.length === 0) return empty('No keywords yet.')
  return lineChart(
    data.quarters,
    data.keywordTrends.map((trend) => ({name: trend.keyword, values: trend.shares})),
    {yLabel: 'share of firms', percent: true},
  )
}

function failureChart(data: ReportData): string {
  if (data.failuresByKind.length === 0) return empty('No firm failed.')
  return horizontalBars(data.failuresByKind.map((failure) => ({label: failure.kind, value: failure.firms})), {unit: 'firms', color: palette[3]})
}

function throughputChart(data: ReportData): string {
  if (data.throughput.length === 0) return empty('No progress files: no partition has started.')
  const bars = data.throughput.map((part) => ({
    label: `${part.quarter} part ${part.partition}`,
    value: Math.round(part.firmsPerSecond * 1000) / 1000,
    title: `${part.quarter} partition ${part.partition}: ${formatNumber(part.firmsPerSecond)} firms/s, ${part.firms} firms in ${formatNumber(part.seconds)} s (${part.phase})`,
  }))
  return horizontalBars(bars, {unit: 'firms/s', color: palette[2]})
}

function stageChart(data: ReportData): string {
  if (data.stages.length === 0) return empty('No stage timings yet.')
  return horizontalBars(
    data.stages.map((stage) => ({label: stage.stage, value: Math.round(stage.meanMs), title: `${stage.stage}: ${formatNumber(stage.meanMs)} ms per firm, ${Math.round(stage.share * 100)}% of the time`})),
    {unit: 'ms', color: palette[4]},
  )
}

function table(id: string, heading: string, data: ReportTable, filter = false): string {
  const body = data.rows.length === 0 ? empty('Nothing to show.') : htmlTable(data)
  const search = filter && data.rows.length > 0 ? `<input type="search" class="filter" data-table="${id}" placeholder="Filter rows…" aria-label="Filter rows">` : ''
  return `<section id="${id}" class="wide"><h2>${escapeXml(heading)}</h2>${search}${body}</section>`
}

function htmlTable(data: ReportTable): string {
  const numeric = data.columns.map((_, index) => data.rows.length > 0 && data.rows.every((row) => typeof row[index] === 'number' || row[index] === null))
  const head = data.columns.map((column, index) => `<th${numeric[index] ? ' class="number"' : ''}>${escapeXml(column.replaceAll('_', ' '))}</th>`).join('')
  const rows = data.rows.map((row) => `<tr>${row.map((cell) => `<td${typeof cell === 'number' ? ' class="number"' : ''}>${escapeXml(cellText(cell))}</td>`).join('')}</tr>`)
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
}

function cellText(cell: Cell): string {
  if (cell === null) return ''
  if (Array.isArray(cell)) return cell.map(cellText).join(', ')
  return typeof cell === 'number' ? formatNumber(cell) : String(cell)
}
