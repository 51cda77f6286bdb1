import {readFileSync} from 'node:fs'
import path from 'node:path'
import pLimit from 'p-limit'
import {beforeAll, describe, expect, it} from 'vitest'
import {repositoryRoot, runCli} from '../support/cli.js'

// Every command of ftm (from the manifest the build writes), its --help at a narrow and a wide terminal.
const commands = Object.keys((JSON.parse(readFileSync(path.join(repositoryRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}).commands).map((id) => id.split(':'))
const widths = [60, 200] as const

/** The lines of a help section (DESCRIPTION, FLAGS…) without their two-space indent. */
function section(help: string, name: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf(name)
  if (start === -1) return []
  const end = lines.findIndex((line, index) => index > start && /^[A-Z][A-Z ]+$/.test(line))
  return lines.slice(start + 1, end === -1 ? undefined : end).map((line) => line.replace(/^ {2}/, ''))
}

/** A line that starts an item of its own (an exit code, a list entry, a heading) rather than going on with a paragraph. */
const startsItem = (line: string): boolean => /^(\d+\s{2,}|- |Exit codes:)/.test(line)

/**
 * Breaks inside a paragraph where the next word would still have fitted on the line: the text was wrapped by hand
 * in the source, not by oclif to the terminal.
 */
function handWrapped(lines: string[], width: number): string[] {
  const breaks: string[] = []
  for (let index = 0; index + 1 < lines.length; index++) {
    const line = lines[index]!
    const next = lines[index + 1]!
    if (line.trim() === '' || next.trim() === '' || startsItem(next)) continue
    const nextWord = next.trim().split(/\s+/)[0]!
    if (2 + line.length + 1 + nextWord.length <= width) breaks.push(`${line} ⏎ ${next}`)
  }
  return breaks
}

describe("every command's --help", () => {
  const help = new Map<string, string>()

  beforeAll(async () => {
    const limit = pLimit(2)
    await Promise.all(
      commands.flatMap((command) =>
        widths.map(async (width) =>
          limit(async () => {
            const result = await runCli([...command, '--help'], {environment: {OCLIF_COLUMNS: String(width)}})
            expect(result.exitCode, result.stderr).toBe(0)
            help.set(`${command.join(' ')}@${width}`, result.stdout)
          }),
        ),
      ),
    )
  })

  it('covers every command of the manifest', () => {
    expect(commands.length).toBeGreaterThanOrEqual(17)
    expect(commands.map((command) => command.join(' '))).toEqual(expect.arrayContaining(['doctor', 'batch setup', 'batch infra deploy', 'image build', 'image push', 'cancel']))
  })

  it('lists its exit codes, each with what it means', () => {
    const missing = commands.filter((command) => {
      const description = section(help.get(`${command.join(' ')}@200`)!, 'DESCRIPTION')
      const heading = description.indexOf('Exit codes:')
      const codes = description.slice(heading + 1).filter((line) => /^\d+\s{2,}\S/.test(line))
      return heading === -1 || !codes.some((line) => line.startsWith('0 ')) || !codes.some((line) => line.startsWith('2 '))
    })
    expect(missing.map((command) => command.join(' '))).toEqual([])
  })

  it('wraps its description to the terminal, never by hand mid-sentence, at 60 and 200 columns', () => {
    for (const width of widths) {
      const problems = commands.flatMap((command) => {
        const description = section(help.get(`${command.join(' ')}@${width}`)!, 'DESCRIPTION')
        const tooLong = description.filter((line) => 2 + line.length > width && /\s/.test(line.trim()))
        return [...handWrapped(description, width), ...tooLong].map((problem) => `${command.join(' ')} @${width}: ${problem}`)
      })
      expect(problems).toEqual([])
    }
  })
})
