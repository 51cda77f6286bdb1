import {Flags} from '@oclif/core'
import {loadConfig} from '../core/config/load-config.js'
import {UserError} from '../core/errors.js'
import {assertRunId} from '../core/run-id.js'
import {latestRunId} from '../inspect/committed-files.js'
import {summarizeRun, type RunSummary} from '../inspect/summarize-run.js'
import {type QueryResult, ResultViews} from '../inspect/views.js'
import {openStorage} from '../storage/open-storage.js'
import {FtmCommand} from '../ui/base-command.js'
import {formatCsv, formatTable, rowsAsObjects} from '../ui/format-table.js'

export default class Inspect extends FtmCommand {
  static override summary = "Query a run's results: a summary, or SQL over the views firms, topics and sentences."
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --run 20261128-143205-7f3a --firms 10',
    `<%= config.bin %> <%= command.id %> --sql "SELECT firm_id, label, keywords FROM topics WHERE size > 20" --format csv`,
  ]

  static override flags = {
    root: Flags.string({char: 'r', description: 'output root (default ./ftm-output)'}),
    run: Flags.string({description: 'run id (default: the latest run under the root)'}),
    sql: Flags.string({description: 'a query over the views firms, topics and sentences'}),
    format: Flags.string({char: 'f', description: 'output of --sql', options: ['table', 'csv', 'json'], default: 'table'}),
    firms: Flags.integer({description: 'firms whose top topics the summary shows', default: 5, min: 0}),
    config: Flags.string({char: 'c', description: 'configuration file (default: ftm.config.json found upward)'}),
  }

  async run(): Promise<InspectResult> {
    const {flags} = await this.parse(Inspect)
    const {config} = loadConfig({configFile: flags.config, flags: {values: flags.root ? {root: flags.root} : {}, names: {root: '--root'}}})
    const storage = openStorage(config.root)
    const runId = flags.run ? assertRunId(flags.run) : await latestRunId(storage)
    const views = await ResultViews.open(storage, runId)
    try {
      if (flags.sql) {
        const result = await views.query(flags.sql).catch((error: Error) => {
          throw new UserError(`The query failed: ${error.message}`, 'Query the views firms, topics and sentences; `ftm inspect` without --sql shows what is there.')
        })
        if (!this.jsonEnabled()) this.printQuery(result, flags.format)
        return {runId, query: {columns: result.columns, rows: rowsAsObjects(result.columns, result.rows)}}
      }
      const summary = await summarizeRun(views, {firms: flags.firms})
      if (!this.jsonEnabled()) this.printSummary(runId, config.root, summary)
      return {runId, summary}
    } finally {
      views.close()
    }
  }

  private printQuery(result: QueryResult, format: string): void {
    if (format === 'csv') this.log(formatCsv(result.columns, result.rows))
    else if (format === 'json') this.log(JSON.stringify(rowsAsObjects(result.columns, result.rows), null, 2))
    else this.log(formatTable(result.columns, result.rows))
  }

  private printSummary(runId: string, root: string, summary: RunSummary): void {
    this.log(`Run ${runId} (${root})\n`)
    this.log(formatTable(['quarter', 'firms', 'ok', 'failed', 'topics', 'sentences'], summary.quarters.map((quarter) => Object.values(quarter))))
    const spread = summary.topicsPerFirm
    this.log(`\nTopics per firm: min ${spread.min}, median ${spread.median}, mean ${spread.mean}, max ${spread.max}`)
    if (summary.failures.length > 0) {
      this.log('\nFailures:')
      this.log(formatTable(['error_kind', 'firms', 'example'], summary.failures.map((failure) => Object.values(failure)), 90))
    }
    for (const firm of summary.firms) {
      this.log(`\n${firm.quarter} ${firm.firmId} ${firm.firmName}`)
      for (const topic of firm.topics) this.log(`  ${String(topic.topicId).padStart(2)}  ${topic.label}  (${topic.size} sentences)  ${topic.keywords.slice(0, 8).join(', ')}`)
    }
    this.log(`\nQuery further:  ftm inspect --run ${runId} --sql "SELECT * FROM topics LIMIT 10"`)
  }
}

export interface InspectResult {
  runId: string
  summary?: RunSummary
  query?: {columns: string[]; rows: Record<string, unknown>[]}
}
