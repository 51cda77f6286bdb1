import {Command} from '@oclif/core'
import {errorMessage, isUserError} from '../core/errors.js'
import {ExitCode} from '../core/exit-codes.js'

/** The base of every ftm command: --json, and errors that say what to do instead of stack traces. */
export abstract class FtmCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (isUserError(error)) {
      this.reportError({message: error.message, hint: error.hint})
      process.exitCode = error.exitCode
      return
    }
    // oclif's own parse errors (unknown flag, missing value) are user mistakes too.
    if (error.oclif?.exit !== undefined && !(error.constructor.name === 'ExitError')) {
      this.reportError({message: errorMessage(error), hint: `Run \`ftm ${this.id ?? ''} --help\` for the flags it takes.`})
      process.exitCode = ExitCode.usage
      return
    }
    if (error.constructor.name === 'ExitError') throw error
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
