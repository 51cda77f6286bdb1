/** Why a firm failed, as written in its row's error_kind. */
export type FirmErrorKind =
  | 'no_transcript'
  | 'too_few_sentences'
  | 'source_error'
  | 'model_error'

/** A failure of one firm: recorded in its row, the partition goes on. */
export class FirmError extends Error {
  override readonly name = 'FirmError'

  constructor(
    readonly kind: FirmErrorKind,
    message: string,
    options: {cause?: unknown} = {},
  ) {
    super(message, options)
  }
}
