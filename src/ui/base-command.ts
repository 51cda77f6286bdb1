import {Command, Errors} from '@oclif/core'
import {explainEdgeError} from '../base/edge-errors.js'
import {errorMessage, isUserError} from '../base/errors.js'
import {ExitCode} from '../base/exit-codes.js'

/** The base of every ftm command: --json, and errors that say what to do instead of stack traces. */
export abstract class FtmCommand extends Command {
  static override enableJsonFlag = true

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
