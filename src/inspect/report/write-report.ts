import {writeFileSync} from 'node:fs'
import {prepareOutputFile} from '../output-format.js'
import type {ResultViews} from '../views.js'
import {gatherReportData} from './report-data.js'
import {renderReport} from './render-report.js'

/** Writes the self-contained HTML report of a run to a file; returns its size in bytes. */
export async function writeHtmlReport(views: ResultViews, runId: string, file: string): Promise<number> {
  const html = renderReport(await gatherReportData(views, runId))
  writeFileSync(prepareOutputFile(file), html)
  return Buffer.byteLength(html)
}
