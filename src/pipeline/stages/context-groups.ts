/** What context grouping needs of a sentence. */
export interface GroupedSentence {
  componentOrder: number
  speakerType: string
}

const analyst = /^analysts?$/i

/**
 * The context group of each sentence: its speaker turn (`turn`), or its Q&A exchange (`exchange`): an analyst's
 * turn and the turns that answer it, up to the next analyst's turn, so a question is embedded with the start of
 * its answer. Turns before the first analyst (the prepared remarks) stay groups of their own.
 */
export function contextGroups(sentences: readonly GroupedSentence[], scope: 'turn' | 'exchange'): number[] {
  if (scope === 'turn') return sentences.map((sentence) => sentence.componentOrder)
  const groups: number[] = []
  let exchange: number | undefined
  let previousOrder: number | undefined
  for (const sentence of sentences) {
    if (sentence.componentOrder !== previousOrder && analyst.test(sentence.speakerType)) exchange = sentence.componentOrder
    groups.push(exchange ?? sentence.componentOrder)
    previousOrder = sentence.componentOrder
  }
  return groups
}
