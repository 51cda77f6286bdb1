import {Command, Errors} from '@oclif/core'
import {closestMatch} from '../base/closest-match.js'
import {explainEdgeError} from '../base/edge-errors.js'
import {errorMessage, isUserError, UserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'
import {loadConfig, type LoadConfigOptions, type ResolvedConfig} from '../core/config/load-config.js'

let environmentWarned = false

/**
 * Loads the configuration for a command: the one place that prints its warnings (an unknown `FTM_*` variable and the
 * closest known name), once per process, on stderr, so `--json` output stays clean.
 */
export function loadCommandConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const resolved = loadConfig(options)
  if (!environmentWarned) {
    environmentWarned = true
    for (const warning of resolved.warnings) process.stderr.write(`Warning: ${warning}\n`)
  }
  return resolved
}

/** The base of every ftm command: --json, and errors that say what to do instead of stack traces. */
export abstract class FtmCommand extends Command {
  static override enableJsonFlag = true

  /** Names a mistyped flag before oclif's parser, which blames whatever argument follows it (`--formt csv`). */
  override async init(): Promise<void> {
    const known = {...this.ctor.baseFlags, ...this.ctor.flags}
    const names = Object.entries(known).flatMap(([name, flag]) => [name, ...((flag as {aliases?: string[]}).aliases ?? [])])
    const unknown = unknownFlags(this.argv, [...names, 'help', ...(this.ctor.enableJsonFlag ? ['json'] : [])])
    if (unknown.length > 0) {
      const closest = closestMatch(unknown[0]!, names)
      throw new UserError(
        `${this.id ? `ftm ${this.id}` : 'This command'} has no flag --${unknown[0]}.`,
        `${closest ? `Did you mean --${closest}? ` : ''}Run \`ftm ${this.id ?? ''} --help\` for the flags it takes.`,
      )
    }
    await super.init()
  }

  protected override async catch(error: Error): Promise<unknown> {
    if (isUserError(error)) {
      this.reportError({message: error.message, hint: error.hint})
      process.exitCode = error.exitCode
      return
    }
    if (error instanceof Errors.ExitError) throw error
    // oclif's own parse errors (unknown flag, missing value, bad option) are user mistakes too.
    if (error instanceof Errors.CLIError) {
      const message = errorMessage(error).replace(/\n?See more help with --help\s*$/, '')
      this.reportError({message, hint: `Run \`ftm ${this.id ?? ''} --help\` for the flags it takes.`})
      process.exitCode = ExitCode.usage
      return
    }
    // Errors from the edge (file system, S3, PostgreSQL, HTTP) that a rule knows: exit 2 with the fix, or 75.
    const known = explainEdgeError(error)
    if (known) {
      this.reportError({message: known.message, hint: known.hint})
      process.exitCode = known.exitCode
      return
    }
    const debug = Boolean(process.env.DEBUG)
    this.reportError({
      message: `ftm failed unexpectedly: ${errorMessage(error)}`,
      hint: debug ? (error.stack ?? '') : 'This is a bug in ftm. Rerun with DEBUG=ftm:* to see the stack trace, and report it.',
    })
    process.exitCode = ExitCode.failed
  }

  private reportError(details: {message: string; hint: string}): void {
    if (this.jsonEnabled()) {
      process.stdout.write(`${JSON.stringify({error: details}, null, 2)}\n`)
    } else {
      process.stderr.write(`Error: ${details.message}\n${details.hint ? `  ${details.hint}\n` : ''}`)
    }
  }
}

/** The names of the long flags in argv (before a bare `--`) that are not among the known ones. */
export function unknownFlags(argv: readonly string[], known: readonly string[]): string[] {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end))
    .filter((token) => /^--[^-]/.test(token))
    .map((token) => token.slice(2).split('=')[0]!)
    .filter((name) => !known.includes(name) && !(name.startsWith('no-') && known.includes(name.slice(3))))
}
