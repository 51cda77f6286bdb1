import {readFileSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {Config} from '@oclif/core'
import {beforeAll, describe, expect, it} from 'vitest'
import {tableColumns} from '../../src/pipeline/output/table-columns.js'
import {repositoryRoot, runCli} from '../support/cli.js'
import {temporaryFolder} from '../support/sample-subset.js'

const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8')

/** The text of a README section (from its `## ` heading to the next one). */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}`)
  if (start === -1) throw new Error(`README has no section "## ${heading}"`)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end === -1 ? undefined : end)
}

/** The lines of the fenced code blocks of some Markdown. */
function fencedLines(markdown: string): string[] {
  return [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.split('\n'))
}

/** Every `ftm …` invocation the README shows: in fenced blocks (one per line) and in inline code. */
function documentedInvocations(): string[] {
  const fenced = fencedLines(readme).map((line) => line.replace(/\s+#.*$/, '').trim())
  const inline = [...readme.matchAll(/`((?:ftm|node bin\/run\.js) [^`]+)`/g)].map((match) => match[1]!)
  return [...fenced, ...inline]
    .flatMap((line) => line.split(/\s*(?:&&|\||;)\s*/))
    .map((part) => part.replace(/\s+/g, ' ').replace(/^node bin\/run\.js /, 'ftm ').replace(/^\$ /, ''))
    .filter((part) => part.startsWith('ftm '))
}

describe('README', () => {
  let commandIds: string[]
  const flagsOf = new Map<string, Set<string>>()

  beforeAll(async () => {
    const config = await Config.load(repositoryRoot)
    commandIds = config.commands.filter((command) => !command.hidden).map((command) => command.id.replaceAll(':', ' '))
  })

  /** The command an invocation runs: the longest command id its leading words spell. */
  const commandOf = (invocation: string): string | undefined => {
    const words = invocation.split(/\s+/).slice(1)
    for (let length = Math.min(3, words.length); length > 0; length--) {
      const id = words.slice(0, length).join(' ')
      if (commandIds.includes(id)) return id
    }
    return undefined
  }

  /** The long flags a command's --help lists. */
  const helpFlags = async (id: string): Promise<Set<string>> => {
    if (!flagsOf.has(id)) {
      const help = await runCli([...id.split(' '), '--help'], {environment: {COLUMNS: '200'}})
      expect(help.exitCode, `ftm ${id} --help`).toBe(0)
      flagsOf.set(id, new Set([...help.stdout.matchAll(/--(?:\[no-\])?([a-z][a-z0-9-]*)/g)].map((match) => match[1]!)))
    }
    return flagsOf.get(id)!
  }

  it('documents only commands that exist, and only flags their --help lists', async () => {
    const problems: string[] = []
    for (const invocation of documentedInvocations()) {
      const id = commandOf(invocation)
      if (!id) {
        if (!/^ftm (help|autocomplete)\b/.test(invocation)) problems.push(`no such command: ${invocation}`)
        continue
      }
      const known = await helpFlags(id)
      for (const [, flag] of invocation.matchAll(/(?:^|\s)--([a-z][a-z0-9-]*)/g)) {
        if (!known.has(flag!) && !known.has(flag!.replace(/^no-/, '')) && flag !== 'help') problems.push(`ftm ${id} has no --${flag}: ${invocation}`)
      }
    }
    expect(problems).toEqual([])
  })

  it("lists every column of the output tables in its Output section", () => {
    const output = section('Output')
    const missing = Object.entries(tableColumns).flatMap(([table, columns]) =>
      columns.filter((column) => !new RegExp(`\\|\\s*\`?${column.name}\`?\\s*\\|`).test(output)).map((column) => `${table}.${column.name}`),
    )
    expect(missing).toEqual([])
  })

  it('runs the quick start as written: the sample run, then inspect', async () => {
    // npm ci and npm run build have run already (vitest's global setup builds dist); the ftm commands run as typed,
    // from a folder that holds the sample at the same relative path, so the output lands there and not in the checkout.
    const commands = fencedLines(section('Quick start'))
      .flatMap((line) => line.split(/\s*&&\s*/))
      .filter((part) => part.startsWith('node bin/run.js '))
    expect(commands.map((command) => command.split(' ')[2])).toEqual(['run', 'inspect'])
    const folder = temporaryFolder('ftm-readme-')
    symlinkSync(path.join(repositoryRoot, 'fixtures'), path.join(folder, 'fixtures'))
    for (const command of commands) {
      const result = await runCli(command.replace(/^node bin\/run\.js /, '').split(/\s+/), {cwd: folder})
      expect(result.exitCode, `${command}\n${result.stderr}`).toBe(0)
    }
  })
})
