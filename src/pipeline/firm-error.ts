/** Why a firm failed, as written in its row's error_kind. */
export type FirmErrorKind =
  /** The source has no earnings call for the firm in the quarter. */
  | 'no_transcript'
  /** The call exists but cannot be modeled: no text, or more text than worker.maxCallCharacters. */
  | 'bad_transcript'
  /** Too few usable sentences after preprocessing (pipeline.minSentences). */
  | 'too_few_sentences'
  /** The source failed for this firm after retries. */
  | 'source_error'
  /** The topic model failed on this firm's data. */
  | 'model_error'
  /** The LLM endpoint failed for this firm and llm.onFailure is 'fail'. */
  | 'llm_error'

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

/** A failure no later firm can escape (storage unwritable, model cannot load): the breaker trips at once. */
export class CriticalError extends Error {
  override readonly name = 'CriticalError'
}
