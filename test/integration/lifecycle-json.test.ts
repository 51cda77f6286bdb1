import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/commands/run.js'
import type {LogsResult} from '../../src/commands/logs.js'
import type {ConfigReport} from '../../src/core/config/describe-config.js'
import type {PlanEstimate} from '../../src/core/estimate/plan-estimate.js'
import type {RunListing} from '../../src/core/run/list-runs.js'
import type {RunStatusReport} from '../../src/core/run/run-status.js'
import {parseJson, runCli} from '../support/cli.js'
import {sampleSubset, temporaryFolder} from '../support/sample-subset.js'

describe('--json results of plan, status, logs, runs, cancel and config show', () => {
  const root = temporaryFolder()
  let data: {file: string; firmIds: string[]}
  let runId: string

  beforeAll(async () => {
    data = sampleSubset({firms: 4, quarters: ['2024Q1']})
    const run = await runCli(['run', '--source', data.file, '--root', root, '--parallel', '2', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    runId = parseJson<RunResult>(run).runId
  })

  it('plan: the ADR example as JSON, and as the side-by-side table', async () => {
    const result = await runCli(['plan', '--firms', '5000', '--parallel', '5', '--root', temporaryFolder(), '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const plan = parseJson<PlanEstimate>(result)
    expect(plan.quarters).toEqual([{quarter: 'any', firms: 5000, partitions: 5, partitionSizes: [1000, 1000, 1000, 1000, 1000]}])
    expect(plan.baseline).toMatchObject({name: 'sequential', partitions: 1, firmSeconds: 15, hourlyPrice: 0.5})
    expect(plan.executors.map((estimate) => estimate.name)).toEqual(['process', 'local', 'ec2', 'batch'])
    const batch = plan.executors.find((estimate) => estimate.name === 'batch')!
    expect(Math.round(batch.savings!.cost * 100)).toBe(68)
    expect(Math.round(batch.savings!.time * 100)).toBe(80)
    const text = await runCli(['plan', '--firms', '5000', '--parallel', '5', '--root', temporaryFolder()])
    expect(text.stdout).toMatch(/sequential\s+15\.0 s\s+1 × 1\s+20\.8 h × \$0\.50\s+\$10\.42\s+47\.9 h/)
    expect(text.stdout).toMatch(/batch\s+15\.0 s\s+5 × 5\s+20\.9 h × \$0\.16\s+\$3\.35\s+9\.6 h\s+68%\s+80%/)
  })

  it('plan: reads the source as a run would, and uses the per-firm times measured by the earlier run', async () => {
    const plan = parseJson<PlanEstimate>(await runCli(['plan', '--source', data.file, '--root', root, '--parallel', '2', '--json']))
    expect(plan.quarters).toEqual([{quarter: '2024Q1', firms: 4, partitions: 2, partitionSizes: [2, 2]}])
    expect(plan.firmTimes.process).toMatchObject({source: 'measured', firms: 4, runs: 1})
    expect(plan.firmTimes.process!.seconds).toBeGreaterThan(0)
    expect(plan.firmTimes.batch).toMatchObject({source: 'configured', seconds: 15})
    // Only process was measured: every executor is costed on the configured reference, and the plan says so.
    expect(plan.basis).toEqual({times: 'configured', measuredExecutors: ['process']})
    expect(plan.executors.find((estimate) => estimate.name === 'process')!.firmSeconds).toBe(15)
  })

  it('status, logs and runs describe the finished run', async () => {
    const status = parseJson<RunStatusReport>(await runCli(['status', '--latest', '--root', root, '--json']))
    expect(status).toMatchObject({runId, status: 'succeeded', executor: 'process', stalled: false, totals: {firms: 4, firmsDone: 4, firmsFailed: 0, firmsCommitted: 4}})
    expect(status.partitions).toEqual([
      expect.objectContaining({quarter: '2024Q1', partition: 0, phase: 'succeeded', firmsTotal: 2, firmsDone: 2, exitCode: 0}),
      expect.objectContaining({quarter: '2024Q1', partition: 1, phase: 'succeeded', firmsTotal: 2, firmsDone: 2, exitCode: 0}),
    ])
    const logs = parseJson<LogsResult>(await runCli(['logs', runId, '--root', root, '--partition', '1', '--tail', '1', '--json']))
    const done = {time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'info', message: 'ftm worker: done'}
    expect(logs).toEqual({runId, partitions: [{quarter: '2024Q1', partition: 1, lines: ['ftm worker: done'], entries: [done]}]})
    // The worker wrote JSON lines (its stderr is a file): each with its time and level, shown as such.
    const followed = await runCli(['logs', runId, '--root', root, '--follow'])
    expect(followed.exitCode, followed.stderr).toBe(0)
    expect(followed.stdout).toMatch(/^2024Q1 part-00000 \| \S+Z INFO {2}ftm worker: run /m)
    expect(followed.stdout).toMatch(/^2024Q1 part-00001 \| \S+Z INFO {2}ftm worker: done$/m)
    const raw = readFileSync(path.join(root, 'runs', runId, 'logs', '2024Q1', 'part-00001.log'), 'utf8').trim().split('\n').at(-1)!
    expect(JSON.parse(raw)).toEqual({time: done.time, level: 'info', msg: 'ftm worker: done'})
    // --level keeps the warnings and errors only: a clean run has none.
    const warnings = parseJson<LogsResult>(await runCli(['logs', runId, '--root', root, '--level', 'warn', '--json']))
    expect(warnings.partitions.flatMap((partition) => partition.lines)).toEqual([])
    const runs = parseJson<{root: string; runs: RunListing[]}>(await runCli(['runs', '--root', root, '--json']))
    expect(runs).toEqual({root, runs: [expect.objectContaining({runId, status: 'succeeded', monitorGone: false, quarters: ['2024Q1'], firms: 4, partitions: 2})]})
    const text = await runCli(['status', runId, '--root', root])
    expect(text.stdout).toContain(`Run ${runId}: succeeded`)
    expect(text.stdout).not.toContain('\x1b[')
  })

  it('errors are JSON on stdout with a hint, exit 2: an id with --latest, cancel without a run, an unknown run', async () => {
    const both = await runCli(['status', runId, '--latest', '--root', root, '--json'])
    expect(both.exitCode).toBe(2)
    expect(parseJson<{error: {message: string; hint: string}}>(both).error.message).toContain('Both a run id')
    const none = await runCli(['cancel', '--root', root, '--json'])
    expect(none.exitCode).toBe(2)
    expect(parseJson<{error: {message: string; hint: string}}>(none).error.hint).toContain('ftm cancel --latest')
    const unknown = await runCli(['logs', '20990101-000000-abcd', '--root', root])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain('There is no run 20990101-000000-abcd')
    const finished = await runCli(['cancel', runId, '--root', root, '--json'])
    expect(parseJson<{alreadyFinished: boolean}>(finished).alreadyFinished).toBe(true)
  })

  it('config show: values, origins, the profile, and masked secrets', async () => {
    const project = temporaryFolder()
    writeFileSync(path.join(project, 'ftm.config.json'), JSON.stringify({parallel: 3, profiles: {wide: {parallel: 8}}}))
    const result = await runCli(['config', 'show', '--profile', 'wide', '--json'], {cwd: project, environment: {FTM_LLM_API_KEY: 'sk-secret-value', FTM_WORKER__CHECKPOINT_INTERVAL: '5'}})
    expect(result.exitCode, result.stderr).toBe(0)
    const report = parseJson<ConfigReport>(result)
    expect(report.profile).toBe('wide')
    expect(report.configFile).toBe(path.join(project, 'ftm.config.json'))
    expect(report.entries.find((entry) => entry.key === 'parallel')).toMatchObject({value: 8, origin: `config file ${report.configFile} (profile wide)`})
    expect(report.entries.find((entry) => entry.key === 'worker.checkpointInterval')).toMatchObject({value: 5, origin: 'environment variable FTM_WORKER__CHECKPOINT_INTERVAL'})
    expect(report.environment).toContainEqual({name: 'FTM_LLM_API_KEY', value: '****', secret: true})
    expect(result.stdout).not.toContain('sk-secret-value')
  })

  it('help lists the exit codes', async () => {
    for (const command of ['status', 'cancel', 'plan', 'runs', 'logs']) {
      const help = await runCli([command, '--help'])
      expect(help.stdout, command).toMatch(/Exit codes:[\s\S]*130/)
    }
  })
})
