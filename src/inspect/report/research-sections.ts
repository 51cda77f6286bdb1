import type {IndexedTopic, ResearchData, ReportTheme} from './research-data.js'
import {reportLimits} from './research-data.js'
import {escapeXml, formatNumber, horizontalBars, palette} from './svg-charts.js'

/** Subjects coloured on the map; the others share one grey. */
const colouredSubjects = palette.length - 1
const otherColour = '#9aa5b1'

/** The colour of each subject on the map and in its legend: the most frequent subjects get the palette. */
export function subjectColours(topics: readonly IndexedTopic[]): Map<string, string> {
  const counts = new Map<string, number>()
  for (const topic of topics) counts.set(topic.subject ?? 'no subject', (counts.get(topic.subject ?? 'no subject') ?? 0) + 1)
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return new Map(ranked.map(([subject], index) => [subject, index < colouredSubjects ? palette[index]! : otherColour]))
}

/** What the sample holds of the run, said wherever the sample is shown. */
export function sampleNote(data: ResearchData): string {
  if (data.topics.length >= data.totalTopics) return `All ${formatNumber(data.totalTopics)} topics of the run.`
  return `An even sample of ${formatNumber(data.topics.length)} of the run’s ${formatNumber(data.totalTopics)} topics (every ${Math.ceil(data.totalTopics / reportLimits.topics)}th by quarter, firm and topic; the report carries at most ${formatNumber(reportLimits.topics)}).`
}

/** The topic map: each topic a point placed by the first two principal components of its embedding, coloured by subject. */
export function topicMap(data: ResearchData): string {
  if (data.topics.length === 0) return '<p class="empty">No topics yet.</p>'
  const width = 1000
  const height = 560
  const margin = 14
  const colours = subjectColours(data.topics)
  const radius = data.topics.length > 1000 ? 2.5 : 5
  const points = data.topics.map((topic) => {
    const cx = margin + topic.x * (width - 2 * margin)
    const cy = margin + (1 - topic.y) * (height - 2 * margin)
    const tip = `${topic.label} · ${topic.firmName} (${topic.firmId}), ${topic.quarter} · ${topic.keywords.slice(0, 5).join(', ')}${topic.theme ? ` · theme: ${topic.theme}` : ''}`
    return `<a href="#${topic.anchor}"><circle class="topic" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${radius}" fill="${colours.get(topic.subject ?? 'no subject')}"><title>${escapeXml(tip)}</title></circle></a>`
  })
  const legend = [...colours.entries()]
    .filter(([, colour]) => colour !== otherColour)
    .map(([subject, colour]) => `<span class="legend-item"><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill="${colour}"/></svg>${escapeXml(subject)}</span>`)
  if (colours.size > colouredSubjects) legend.push(`<span class="legend-item"><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill="${otherColour}"/></svg>other subjects</span>`)
  return `<div class="map"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="topic map" class="topic-map">
<rect x="0" y="0" width="${width}" height="${height}" class="map-ground"/>
${points.join('\n')}
</svg><div id="map-tip" class="map-tip" hidden></div></div><p class="legend">${legend.join('')}</p>`
}

/** The search box over topics (label, firm, keywords) and their sentences, answered in the page. */
export function searchBox(): string {
  return `<input type="search" id="search" placeholder="Search topics and sentences, e.g. margin, guidance, a firm…" aria-label="Search topics and sentences" autocomplete="off">
<p id="search-count" class="muted"></p><ol id="search-results" class="search-results"></ol>`
}

/** The sampled topics, each with its anchor, keywords and representative sentences. */
export function topicList(data: ResearchData): string {
  if (data.topics.length === 0) return '<p class="empty">No topics yet.</p>'
  const colours = subjectColours(data.topics)
  const articles = data.topics.map((topic) => {
    const facts = [`${topic.firmName} (${topic.firmId})`, topic.quarter, `topic ${topic.topicId}`, `${formatNumber(topic.size)} sentences`, topic.subject ?? 'no subject', ...(topic.theme ? [`theme: ${topic.theme}`] : [])]
    const sentences = topic.sentences.length === 0 ? '<p class="empty">No representative sentences.</p>' : `<ol>${topic.sentences.map((sentence) => `<li>${escapeXml(sentence)}</li>`).join('')}</ol>`
    return `<article class="topic" id="${topic.anchor}" data-colour="${colours.get(topic.subject ?? 'no subject')}"><h3>${escapeXml(topic.label)}</h3>
<p class="facts">${escapeXml(facts.join(' · '))}</p><p class="keywords">${escapeXml(topic.keywords.join(', '))}</p>${sentences}</article>`
  })
  return `<div class="topic-list" id="topic-list">${articles.join('\n')}</div>`
}

/** The themes of each quarter with the firms whose topics form them (linked to the topic when the page lists it). */
export function themeTable(data: ResearchData): string {
  if (data.themes.length === 0) return '<p class="empty">No themes: run `ftm themes` (or `ftm run --set themes.enabled=true`) to find the themes shared across firms.</p>'
  const rows = data.themes.map((theme) => {
    const firms = theme.members.map((member) => memberLink(member))
    const more = theme.firms > theme.members.length ? ` <span class="muted">and ${formatNumber(theme.firms - theme.members.length)} more</span>` : ''
    return `<tr><td>${escapeXml(theme.quarter)}</td><td><strong>${escapeXml(theme.label)}</strong></td><td>${escapeXml(theme.keywords.join(', '))}</td><td class="number">${formatNumber(theme.firms)}</td><td class="number">${formatNumber(theme.topics)}</td><td>${firms.join(', ')}${more}</td></tr>`
  })
  return `<div class="table"><table><thead><tr><th>quarter</th><th>theme</th><th>keywords</th><th class="number">firms</th><th class="number">topics</th><th>firms (closest to the theme first)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
}

function memberLink(member: ReportTheme['members'][number]): string {
  const name = escapeXml(`${member.firmName} (${member.firmId})`)
  return member.anchor ? `<a href="#${member.anchor}" title="${escapeXml(member.topicLabel)}">${name}</a>` : `<span title="${escapeXml(member.topicLabel)}">${name}</span>`
}

/** Bars of each subject's share of the run's topic sentences. */
export function subjectShareChart(data: ResearchData): string {
  if (data.subjects.length === 0) return '<p class="empty">No subjects: this run was written before the measures.</p>'
  const bars = data.subjects.map((subject) => ({
    label: subject.subject,
    value: Math.round(subject.share * 1000) / 10,
    title: `${subject.subject}: ${formatNumber(subject.share * 100)}% of topic sentences, ${formatNumber(subject.topics)} topics${subject.firms === null ? '' : `, ${formatNumber(subject.firms)} firms`}`,
  }))
  return horizontalBars(bars, {unit: '%', color: palette[0]})
}

/** Bars of how many calls each subject leads (the largest share of the call). */
export function leadingSubjectChart(data: ResearchData): string {
  const leading = data.subjects.filter((subject) => subject.leading > 0)
  if (leading.length === 0) return '<p class="empty">No call has subject shares yet.</p>'
  const bars = [...leading].sort((a, b) => b.leading - a.leading).map((subject) => ({label: subject.subject, value: subject.leading, title: `${subject.subject}: the largest subject of ${formatNumber(subject.leading)} calls`}))
  return horizontalBars(bars, {unit: 'calls', color: palette[2]})
}
