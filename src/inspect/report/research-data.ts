import type {Cell, ResultViews} from '../views.js'
import {projectToPlane} from './plane-projection.js'

/** How much of a large run the report carries, so that a 5000-firm quarter stays a file a browser opens at once. */
export const reportLimits = {
  /** Topics on the map and in the searchable list with their sentences: an even sample beyond this. */
  topics: 3000,
  /** Representative sentences per topic, and the characters kept of each. */
  sentencesPerTopic: 3,
  sentenceCharacters: 280,
  /** Themes listed per quarter (largest first) and firms named per theme. */
  themesPerQuarter: 40,
  firmsPerTheme: 12,
  /** Subjects in the breakdown bars; the rest are summed as "other subjects". */
  subjects: 15,
} as const

/** One topic of the map and the searchable list. */
export interface IndexedTopic {
  /** The topic's anchor in the page (without #). */
  anchor: string
  quarter: string
  firmId: string
  firmName: string
  topicId: number
  label: string
  keywords: string[]
  size: number
  subject: string | null
  /** The cross-firm theme the topic belongs to, when `ftm themes` ran. */
  theme: string | null
  /** Position on the map, each in [0, 1]. */
  x: number
  y: number
  sentences: string[]
}

/** A cross-firm theme of a quarter with its firms. */
export interface ReportTheme {
  quarter: string
  themeId: number
  label: string
  keywords: string[]
  firms: number
  topics: number
  /** The firms closest to the theme's centre first, each with the anchor of its topic when the page lists it. */
  members: {firmId: string; firmName: string; topicLabel: string; anchor: string | null}[]
}

/** A subject's weight in the run. */
export interface SubjectShare {
  subject: string
  /** Share of all topic sentences whose topic has the subject. */
  share: number
  topics: number
  /** Firms with a topic of the subject (null for the sum of the smaller subjects). */
  firms: number | null
  /** Calls (firm-quarters) whose largest subject it is. */
  leading: number
}

/** The research content beyond the charts: the topic sample, themes and the subject breakdown. */
export interface ResearchData {
  topics: IndexedTopic[]
  /** Every topic of the run (the sample holds `topics.length` of them). */
  totalTopics: number
  themes: ReportTheme[]
  /** Themes of the run before the per-quarter cap. */
  totalThemes: number
  subjects: SubjectShare[]
}

/** An id usable as an HTML anchor for a firm's topic. */
export function topicAnchor(quarter: string, firmId: string, topicId: number): string {
  return `t-${quarter}-${firmId}-${topicId}`.replaceAll(/[^\w-]/g, '_')
}

const text = (cell: Cell | undefined): string => (cell === null || cell === undefined ? '' : String(cell))
const texts = (cell: Cell | undefined): string[] => (Array.isArray(cell) ? cell.map(text) : [])

/** Gathers the topic sample (projected to the plane), their sentences, the themes and the subject breakdown. */
export async function gatherResearchData(views: ResultViews, limits = reportLimits): Promise<ResearchData> {
  const sample = `
    WITH numbered AS (
      SELECT quarter, firm_id, firm_name, topic_id, label, keywords, size, subject, embedding,
             row_number() OVER (ORDER BY quarter, firm_id, topic_id) AS n, count(*) OVER () AS total FROM topics),
    chosen AS (SELECT * FROM numbered WHERE (n - 1) % greatest(1, ceil(total / $1)::BIGINT) = 0)`
  const topics = await views.query(
    `${sample} SELECT c.quarter, c.firm_id, c.firm_name, c.topic_id, c.label, list_slice(c.keywords, 1, 8), c.size, c.subject, c.embedding, c.total,
            (SELECT any_value(t.label) FROM themes t JOIN theme_members m USING (quarter, theme_id)
             WHERE m.quarter = c.quarter AND m.firm_id = c.firm_id AND m.topic_id = c.topic_id) AS theme
     FROM chosen c ORDER BY c.n`,
    [limits.topics],
  )
  const sentences = await views.query(
    `${sample} SELECT s.quarter, s.firm_id, s.topic_id, s.text FROM topic_sentences s JOIN chosen c USING (quarter, firm_id, topic_id)
     WHERE s.rank <= $2 ORDER BY s.quarter, s.firm_id, s.topic_id, s.rank`,
    [limits.topics, limits.sentencesPerTopic],
  )
  const sentencesOf = new Map<string, string[]>()
  for (const [quarter, firmId, topicId, sentence] of sentences.rows) {
    const anchor = topicAnchor(text(quarter), text(firmId), Number(topicId))
    const list = sentencesOf.get(anchor) ?? []
    list.push(shorten(text(sentence), limits.sentenceCharacters))
    sentencesOf.set(anchor, list)
  }
  const positions = projectToPlane(topics.rows.map((row) => (Array.isArray(row[8]) ? row[8].map(Number) : [])))
  const indexed = topics.rows.map((row, index): IndexedTopic => {
    const anchor = topicAnchor(text(row[0]), text(row[1]), Number(row[3]))
    return {
      anchor,
      quarter: text(row[0]),
      firmId: text(row[1]),
      firmName: text(row[2]),
      topicId: Number(row[3]),
      label: text(row[4]),
      keywords: texts(row[5]),
      size: Number(row[6]),
      subject: row[7] === null ? null : text(row[7]),
      theme: row[10] === null ? null : text(row[10]),
      x: positions[index]!.x,
      y: positions[index]!.y,
      sentences: sentencesOf.get(anchor) ?? [],
    }
  })
  const themes = await gatherThemes(views, new Set(indexed.map((topic) => topic.anchor)), limits)
  return {topics: indexed, totalTopics: Number(topics.rows[0]?.[9] ?? 0), ...themes, subjects: await gatherSubjects(views, limits.subjects)}
}

async function gatherThemes(views: ResultViews, listed: Set<string>, limits: typeof reportLimits): Promise<{themes: ReportTheme[]; totalThemes: number}> {
  const themes = await views.query(
    `WITH ranked AS (SELECT *, row_number() OVER (PARTITION BY quarter ORDER BY n_topics DESC, theme_id) AS place, count(*) OVER () AS total FROM themes)
     SELECT r.quarter, r.theme_id, r.label, list_slice(r.keywords, 1, 8), r.n_firms, r.n_topics, r.total,
            (SELECT list([m.firm_id, m.firm_name, m.topic_label, m.topic_id::VARCHAR] ORDER BY m.similarity DESC, m.firm_id)
             FROM theme_members m WHERE m.quarter = r.quarter AND m.theme_id = r.theme_id) AS members
     FROM ranked r WHERE r.place <= $1 ORDER BY r.quarter, r.place`,
    [limits.themesPerQuarter],
  )
  return {
    totalThemes: Number(themes.rows[0]?.[6] ?? 0),
    themes: themes.rows.map((row) => {
      const quarter = text(row[0])
      const seen = new Set<string>()
      const members: ReportTheme['members'] = []
      for (const member of (row[7] as Cell[] | null) ?? []) {
        const [firmId, firmName, topicLabel, topicId] = texts(member)
        if (seen.has(firmId!) || members.length >= limits.firmsPerTheme) continue
        seen.add(firmId!)
        const anchor = topicAnchor(quarter, firmId!, Number(topicId))
        members.push({firmId: firmId!, firmName: firmName!, topicLabel: topicLabel!, anchor: listed.has(anchor) ? anchor : null})
      }
      return {quarter, themeId: Number(row[1]), label: text(row[2]), keywords: texts(row[3]), firms: Number(row[4]), topics: Number(row[5]), members}
    }),
  }
}

async function gatherSubjects(views: ResultViews, limit: number): Promise<SubjectShare[]> {
  const hasSubjects = await views.query(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'topics' AND column_name = 'subject'`)
  if (Number(hasSubjects.rows[0]![0]) === 0) return []
  const rows = await views.query(
    `WITH per_subject AS (
       SELECT coalesce(subject, 'no subject') AS subject, sum(size) AS sentences, count(*) AS topics, count(DISTINCT firm_id) AS firms FROM topics GROUP BY ALL),
     leaders AS (
       SELECT subjects[list_position(subject_shares, list_max(subject_shares))] AS subject, count(*) AS calls
       FROM firms WHERE status = 'ok' AND len(subject_shares) > 0 GROUP BY ALL)
     SELECT p.subject, p.sentences / sum(p.sentences) OVER (), p.topics, p.firms, coalesce(l.calls, 0)
     FROM per_subject p LEFT JOIN leaders l USING (subject) ORDER BY p.sentences DESC, p.subject`,
  )
  const all = rows.rows.map(([subject, share, topics, firms, leading]) => ({subject: text(subject), share: Number(share), topics: Number(topics), firms: Number(firms), leading: Number(leading)}))
  if (all.length <= limit) return all
  const rest = all.slice(limit - 1)
  const other = rest.reduce((sum, subject) => ({...sum, share: sum.share + subject.share, topics: sum.topics + subject.topics, leading: sum.leading + subject.leading}), {
    subject: `${rest.length} other subjects`,
    share: 0,
    topics: 0,
    firms: null as number | null,
    leading: 0,
  })
  return [...all.slice(0, limit - 1), other]
}

function shorten(sentence: string, characters: number): string {
  return sentence.length > characters ? `${sentence.slice(0, characters - 1).trimEnd()}…` : sentence
}
