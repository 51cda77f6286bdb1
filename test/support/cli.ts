import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa, type ResultPromise} from 'execa'

/** The repository root. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The bundled sample of synthetic calls. */
export const sampleTranscripts = path.join(repositoryRoot, 'fixtures', 'sample', 'transcripts.csv')

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

const cliEnvironment = (environment: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  DEBUG: '',
  ...environment,
})

/** Runs the built CLI (`bin/run.js`) exactly as a user would, and waits for it. */
export async function runCli(args: string[], options: {cwd?: string; environment?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
  const result = await startCli(args, options)
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

/** Starts the built CLI in the background. */
export function startCli(args: string[], options: {cwd?: string; environment?: NodeJS.ProcessEnv} = {}): ResultPromise<{reject: false; stdin: 'ignore'}> {
  return execa(process.execPath, [path.join(repositoryRoot, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? repositoryRoot,
    env: cliEnvironment(options.environment),
    reject: false,
    stdin: 'ignore',
  })
}

/** Parses the JSON a command printed under --json. */
export function parseJson<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.exitCode}):\n${result.stdout}\n--- stderr:\n${result.stderr}`)
  }
}
