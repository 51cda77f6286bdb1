import type {Cell, ResultViews} from '../views.js'
import type {ReportTable} from './report-data.js'
import {horizontalBars, lineChart, palette} from './svg-charts.js'

/** What the report shows of the research measures. */
export interface MeasureReportData {
  quarters: string[]
  /** Per quarter: mean share of the calls' sentences in the presentation and in the Q&A, and spoken by analysts. */
  structure: {quarter: string; presentation: number; qa: number; analysts: number; calls: number}[]
  /** The subjects with the largest mean share over the run: mean share of the calls per quarter. */
  runSubjects: {subject: string; shares: (number | null)[]}[]
  /** One firm (the first with the most quarters): its largest subjects' shares per quarter. */
  firm?: {firmId: string; firmName: string; subjects: {subject: string; shares: (number | null)[]}[]}
  topics: ReportTable
}

const asShares = (cells: Cell): (number | null)[] => (cells as Cell[]).map((share) => (share === null ? null : Number(share)))

/** Gathers the measures for the report; undefined for a run written before the measures (no panel view). */
export async function gatherMeasureData(views: ResultViews, options: {subjects?: number; firmLimit?: number} = {}): Promise<MeasureReportData | undefined> {
  const hasPanel = await views.query(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'panel'`)
  if (Number(hasPanel.rows[0]![0]) === 0) return undefined
  const structure = await views.query(
    `SELECT quarter, avg(presentation_sentences / n_sentences), avg(qa_sentences / n_sentences), avg(analyst_sentences / n_sentences), count(*)
     FROM firms WHERE status = 'ok' AND n_sentences > 0 GROUP BY quarter ORDER BY quarter`,
  )
  const quarters = structure.rows.map((row) => String(row[0]))
  const subjectShares = (firmFilter: string): string => `
    WITH shares AS (
      SELECT quarter, firm_id, unnest(subjects) AS subject, unnest(subject_shares) AS share FROM firms
      WHERE status = 'ok' ${firmFilter}),
    top AS (SELECT subject FROM shares GROUP BY subject ORDER BY avg(share) DESC, subject LIMIT $1),
    quarters AS (SELECT DISTINCT quarter FROM shares)
    SELECT t.subject, list((SELECT avg(s.share) FROM shares s WHERE s.subject = t.subject AND s.quarter = q.quarter) ORDER BY q.quarter)
    FROM top t CROSS JOIN quarters q GROUP BY t.subject ORDER BY t.subject`
  const limit = options.subjects ?? 6
  const run = await views.query(subjectShares(''), [limit])
  const chosen = await views.query(
    `SELECT firm_id, any_value(firm_name) FROM firms WHERE status = 'ok' GROUP BY firm_id ORDER BY count(*) DESC, firm_id LIMIT 1`,
  )
  let firm: MeasureReportData['firm']
  if (chosen.rows[0]) {
    const [firmId, firmName] = chosen.rows[0].map(String) as [string, string]
    const own = await views.query(subjectShares(`AND firm_id = '${firmId.replaceAll("'", "''")}'`), [limit])
    firm = {firmId, firmName, subjects: own.rows.map(([subject, shares]) => ({subject: String(subject), shares: asShares(shares!)}))}
  }
  const topics = await views.query(
    `WITH chosen AS (SELECT quarter, firm_id FROM firms WHERE status = 'ok' ORDER BY quarter, firm_id LIMIT $1)
     SELECT t.quarter, t.firm_id, t.topic_id, t.label, t.subject, round(t.sentence_share, 3) AS share,
            round(t.presentation_share, 3) AS presentation_share, round(t.qa_share, 3) AS qa_share, round(t.analyst_share, 3) AS analyst_share,
            t.first_raised_by, round(t.net_tone, 3) AS net_tone, t.risk_sentences
     FROM topics t JOIN chosen USING (quarter, firm_id) ORDER BY t.quarter, t.firm_id, t.size DESC, t.topic_id`,
    [options.firmLimit ?? 12],
  )
  return {
    quarters,
    structure: structure.rows.map(([quarter, presentation, qa, analysts, calls]) => ({
      quarter: String(quarter),
      presentation: Number(presentation),
      qa: Number(qa),
      analysts: Number(analysts),
      calls: Number(calls),
    })),
    runSubjects: run.rows.map(([subject, shares]) => ({subject: String(subject), shares: asShares(shares!)})),
    firm,
    topics,
  }
}

/** The report's measure sections: call structure, subjects across quarters for the run and for one firm, topic measures. */
export function measureSections(data: MeasureReportData, section: (id: string, heading: string, body: string, caption: string) => string): string[] {
  const structureBars = data.structure.flatMap((quarter) => [
    {label: `${quarter.quarter} presentation`, value: Math.round(quarter.presentation * 1000) / 10, title: `${quarter.quarter}: ${quarter.calls} calls`},
    {label: `${quarter.quarter} Q&A`, value: Math.round(quarter.qa * 1000) / 10},
    {label: `${quarter.quarter} analysts`, value: Math.round(quarter.analysts * 1000) / 10},
  ])
  const sections = [
    section('call-structure', 'Call structure', horizontalBars(structureBars, {unit: '%', color: palette[1]}), 'Mean share of a call’s modeled sentences in the presentation, in the Q&A, and spoken by analysts.'),
    section(
      'subjects-run',
      'Subjects across quarters (whole run)',
      lineChart(data.quarters, data.runSubjects.map((subject) => ({name: subject.subject, values: subject.shares})), {yLabel: 'mean share of the call', percent: true}),
      'Mean share of a call’s sentences whose topic has the subject, for the subjects with the largest share.',
    ),
  ]
  if (data.firm) {
    sections.push(
      section(
        'subjects-firm',
        `Subjects across quarters: ${data.firm.firmName} (${data.firm.firmId})`,
        lineChart(data.quarters, data.firm.subjects.map((subject) => ({name: subject.subject, values: subject.shares})), {yLabel: 'share of the call', percent: true}),
        'The firm with the most quarters in the run (first by id): share of its call per subject.',
      ),
    )
  }
  return sections
}
