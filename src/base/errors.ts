/**
 * The one error type for problems the user can fix: a message that names the problem and a hint that says
 * what to do next. Anything else that reaches the top is a bug.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  readonly hint: string
  readonly exitCode: number

  constructor(message: string, hint: string, options: {cause?: unknown; exitCode?: number} = {}) {
    super(message, {cause: options.cause})
    this.hint = hint
    this.exitCode = options.exitCode ?? 2
  }
}

/** True for errors the user can fix (works across module copies, unlike instanceof). */
export function isUserError(error: unknown): error is UserError {
  return error instanceof Error && error.name === 'UserError' && 'hint' in error
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
