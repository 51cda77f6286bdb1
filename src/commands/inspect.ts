import {writeFileSync} from 'node:fs'
import {assertKnownFirm, assertKnownQuarter, assertKnownRun} from '../inspect/check-selection.js'
import {Args, Flags} from '@oclif/core'
import {UserError} from '../base/errors.js'
import {exitCodeHelp} from '../base/exit-codes.js'
import {assertRunId} from '../core/run-id.js'
import {latestRunId} from '../inspect/committed-files.js'
import {outputFormats, prepareOutputFile, resolveOutputFormat} from '../inspect/output-format.js'
import {findReport, reports} from '../inspect/reports.js'
import {writeHtmlReport} from '../inspect/report/write-report.js'
import {summarizeRun, type RunSummary} from '../inspect/summarize-run.js'
import {type Parameter, ResultViews, viewCatalog} from '../inspect/views.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand, loadCommandConfig} from '../ui/base-command.js'
import {formatSummary, summaryFileText} from '../ui/format-summary.js'
import {formatRows, rowsAsObjects} from '../ui/format-table.js'
import {configFlags} from '../ui/common-flags.js'

export default class Inspect extends FtmCommand {
  static override summary = "Query a run's results: a summary, canned reports, SQL over views, exports and an HTML report."
  static override description = `Reads only committed chunks. Views: ${viewCatalog.map((view) => view.name).join(', ')} (\`ftm inspect views\` lists their columns). Reports (the REPORT argument):
- summary (default): firms, topics and failures per quarter
${reports.map((report) => `- ${report.name}: ${report.description}`).join('\n')}

Exit codes:
${exitCodeHelp({0: 'results shown or written', 1: 'unexpected failure (a bug in ftm: report it)', 130: '-'})}`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> firm --firm 161747 --quarter 2024Q1',
    '<%= config.bin %> <%= command.id %> keywords --limit 10',
    `<%= config.bin %> <%= command.id %> --sql "SELECT firm_id, label, keywords FROM topics WHERE size > \\$1" --param 20 --format csv`,
    '<%= config.bin %> <%= command.id %> --sql "SELECT * FROM topic_keywords" --output keywords.parquet',
    '<%= config.bin %> <%= command.id %> --report report.html --database results.duckdb',
  ]

  static override args = {
    name: Args.string({description: 'canned report', options: ['summary', ...reports.map((report) => report.name)], default: 'summary'}),
  }

  static override flags = {
    root: Flags.string({char: 'r', description: 'output root (default ./ftm-output)'}),
    run: Flags.string({description: 'run id (default: the latest run under the root)'}),
    sql: Flags.string({description: 'a query over the views (see `ftm inspect views`); $1, $2… take --param values'}),
    param: Flags.string({description: 'a value for $1, $2… in --sql, in order (text; cast it in SQL where needed, e.g. $1::INTEGER)', multiple: true}),
    format: Flags.string({char: 'f', description: 'output format (default: from --output\'s extension, else table)', options: [...outputFormats]}),
    output: Flags.string({char: 'o', description: 'write the query or report rows to this file instead of the terminal'}),
    firm: Flags.string({description: 'firm id for the firm report'}),
    quarter: Flags.string({char: 'q', description: 'narrow a report to one quarter, e.g. 2024Q1'}),
    limit: Flags.integer({description: 'rows per report (per quarter for keywords and labels)', default: 20, min: 1}),
    firms: Flags.integer({description: 'firms whose top topics the summary shows', default: 5, min: 0}),
    report: Flags.string({description: 'write a self-contained HTML report with charts to this file'}),
    database: Flags.string({description: 'write a DuckDB database file with every table and view, to open in other tools'}),
    config: configFlags.config,
  }

  async run(): Promise<InspectResult> {
    const {args, flags} = await this.parse(Inspect)
    const {config} = loadCommandConfig({configFile: flags.config, flags: {values: flags.root ? {root: flags.root} : {}, names: {root: '--root'}}})
    const storage = openStorage(config.root)
    const format = resolveOutputFormat(flags.format, flags.output)
    const runId = flags.run ? assertRunId(flags.run) : await latestRunId(storage)
    if (flags.run) await assertKnownRun(storage, runId)
    const continuityMinSimilarity = config.pipeline.measures.continuityMinSimilarity
    const result: InspectResult = {runId}
    if (flags.database) {
      const database = await ResultViews.open(storage, runId, {database: prepareOutputFile(flags.database), continuityMinSimilarity})
      database.close()
      result.database = flags.database
      if (!this.jsonEnabled()) this.log(`Wrote ${flags.database}: open it with \`duckdb ${flags.database}\` or any DuckDB client.`)
    }
    const views = await ResultViews.open(storage, runId, {continuityMinSimilarity})
    try {
      if (flags.quarter) await assertKnownQuarter(views, runId, flags.quarter)
      if (flags.firm) await assertKnownFirm(views, runId, flags.firm, flags.quarter)
      if (flags.report) {
        const bytes = await writeHtmlReport(views, runId, flags.report)
        result.report = flags.report
        if (!this.jsonEnabled()) this.log(`Wrote ${flags.report} (${Math.round(bytes / 1024)} KiB): open it in any browser, no network needed.`)
      }
      const sideOutputsOnly = (flags.report || flags.database) && !flags.sql && args.name === 'summary'
      if (sideOutputsOnly) return result
      if (flags.sql || args.name !== 'summary') {
        const {sql, parameters} = flags.sql ? {sql: flags.sql, parameters: flags.param ?? []} : this.cannedQuery(args.name, flags)
        if (!flags.sql) result.name = args.name
        result.query = await this.deliver(views, sql, parameters, format, flags.output)
        return result
      }
      const summary = await summarizeRun(views, {firms: flags.firms})
      if (flags.output) {
        writeFileSync(prepareOutputFile(flags.output), `${summaryFileText(runId, config.root, summary, format)}\n`)
        if (!this.jsonEnabled()) this.log(`Wrote the summary of run ${runId} to ${flags.output}`)
        return {...result, summary, output: flags.output}
      }
      if (!this.jsonEnabled()) this.log(formatSummary(runId, config.root, summary))
      return {...result, summary}
    } finally {
      views.close()
    }
  }

  private cannedQuery(name: string, flags: {firm?: string; quarter?: string; limit: number}): {sql: string; parameters: Parameter[]} {
    const report = findReport(name)
    return {sql: report.sql, parameters: report.parameters({firm: flags.firm, quarter: flags.quarter, limit: flags.limit})}
  }

  private async deliver(views: ResultViews, sql: string, parameters: Parameter[], format: string, output: string | undefined): Promise<QueryRows> {
    const failed = (error: Error): never => {
      throw new UserError(`The query failed: ${error.message}`, '`ftm inspect views` lists the views and their columns; --param fills $1, $2… in order.')
    }
    if (format === 'parquet') {
      const count = await views.exportParquet(sql, parameters, prepareOutputFile(output!)).catch(failed)
      if (!this.jsonEnabled()) this.log(`Wrote ${count} rows to ${output}`)
      return {columns: [], rows: [], output, count}
    }
    const result = await views.query(sql, parameters).catch(failed)
    const rows = rowsAsObjects(result.columns, result.rows)
    const text = formatRows(result.columns, result.rows, format as 'table' | 'csv' | 'json')
    if (output) {
      writeFileSync(prepareOutputFile(output), `${text}\n`)
      if (!this.jsonEnabled()) this.log(`Wrote ${result.rows.length} rows to ${output}`)
      return {columns: result.columns, rows, output, count: result.rows.length}
    }
    if (!this.jsonEnabled()) this.log(text)
    return {columns: result.columns, rows}
  }
}

/** Rows of a query or canned report; with --output, where they went and how many. */
export interface QueryRows {
  columns: string[]
  rows: Record<string, unknown>[]
  output?: string
  count?: number
}

export interface InspectResult {
  runId: string
  /** The canned report shown, when one was. */
  name?: string
  summary?: RunSummary
  query?: QueryRows
  /** The HTML report written. */
  report?: string
  /** The DuckDB database file written. */
  database?: string
  /** The file the summary was written to. */
  output?: string
}
