import {FtmCommand} from '../ui/base-command.js'
import {exitCodeTable} from '../base/exit-codes.js'
import {createLogger} from '../base/log-lines.js'
import {isSecretName} from '../core/config/describe-config.js'
import {workerTask} from '../core/worker-contract.js'

export default class Worker extends FtmCommand {
  static override summary = 'Run one partition of a run (the container entrypoint; executors start it for you).'
  static override description = `Reads FTM_RUN (the run record's path or URI), FTM_QUARTER and FTM_PARTITION (or AWS_BATCH_JOB_ARRAY_INDEX). On SIGTERM or SIGINT it commits the firms it finished and exits 143.

Exit codes:
${exitCodeTable.filter((entry) => entry.worker !== '-').map((entry) => `  ${String(entry.code).padEnd(3)}  ${entry.worker}${entry.retried ? ' (retried on Batch)' : ''}`).join('\n')}`

  static override enableJsonFlag = false

  async run(): Promise<void> {
    await this.parse(Worker)
    // Timestamped lines with levels: JSON off a terminal (log files, docker logs, CloudWatch), readable on one.
    const log = createLogger({write: (text) => process.stderr.write(text), json: !process.stderr.isTTY, secrets: secretValues(process.env)})
    const abort = new AbortController()
    const stop = (signal: string): void => {
      if (abort.signal.aborted) return
      log(`ftm worker: ${signal} received; committing finished firms and stopping`, 'warn')
      abort.abort()
    }
    process.on('SIGTERM', () => stop('SIGTERM'))
    process.on('SIGINT', () => stop('SIGINT'))
    // The pipeline (and DuckDB's native binding with it) loads only when a worker runs.
    if (workerTask(process.env) === 'themes') {
      const {runThemesTask} = await import('../pipeline/themes/themes-task.js')
      return void (process.exitCode = await runThemesTask({environment: process.env, log}))
    }
    const {runWorker} = await import('../pipeline/worker.js')
    process.exitCode = await runWorker({environment: process.env, signal: abort.signal, log})
  }
}

/** The values of the environment's secret variables (API keys, passwords, tokens): never written to a log. */
function secretValues(environment: NodeJS.ProcessEnv): string[] {
  return Object.entries(environment).flatMap(([name, value]) => (value && isSecretName(name) ? [value] : []))
}
