import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runCli} from '../../support/cli.js'

/** A module hook that names each heavy package (DuckDB's binding, the AWS SDKs, Docker, PostgreSQL) as it loads. */
function loadReporter(directory: string): NodeJS.ProcessEnv {
  const hook = path.join(directory, 'hook.mjs')
  writeFileSync(
    hook,
    [
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context)',
      "  const heavy = /\\/node_modules\\/(@duckdb\\/[^/]+|@aws-sdk\\/[^/]+|dockerode|pg)\\//.exec(result.url)",
      '  if (heavy) process.stderr.write(`LOADED ${heavy[1]}\\n`)',
      '  return result',
      '}',
    ].join('\n'),
  )
  const register = path.join(directory, 'register.mjs')
  writeFileSync(register, `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`)
  return {NODE_OPTIONS: `--import ${register}`}
}

describe('ftm runs', () => {
  it('loads neither DuckDB nor an SDK (the oclif manifest spares it the other commands), while ftm inspect loads DuckDB', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ftm-runs-loads-'))
    const environment = loadReporter(directory)
    const root = path.join(directory, 'out')
    const runs = await runCli(['runs', '--root', root], {cwd: directory, environment})
    expect(runs.exitCode).toBe(0)
    expect(runs.stdout).toContain('No runs under')
    expect(runs.stderr).not.toContain('LOADED')
    const inspect = await runCli(['inspect', '--root', root], {cwd: directory, environment})
    expect(inspect.stderr).toContain('LOADED @duckdb/')
  })
})
