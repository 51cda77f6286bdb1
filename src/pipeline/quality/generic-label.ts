/**
 * Words a reader would call generic at the head of a topic label: call language that fits any topic of any firm
 * (verbs of talk and expectation, sizes, time, filler). Defined here, independent of the keyword background, so the
 * measure judges the keywords rather than repeating how they were ranked.
 */
export const genericLabelWords: ReadonlySet<string> = new Set([
  'able', 'ask', 'big', 'business', 'come', 'comment', 'continue', 'expect', 'feel', 'first', 'follow', 'give',
  'half', 'happen', 'help', 'high', 'important', 'include', 'large', 'level', 'long', 'make', 'mention', 'need',
  'new', 'number', 'overall', 'part', 'point', 'remain', 'see', 'side', 'start', 'take', 'talk', 'term', 'work',
  'basis', 'change', 'plan', 'progress', 'strong', 'trend', 'update', 'pleased', 'prior', 'next', 'last', 'sequential',
])

/** True when a keyword label's leading word ("expect, demand, cloud" → "expect") is generic call language. */
export function isGenericLabel(label: string): boolean {
  const lead = label.split(',')[0]!.trim().split(' ')
  // A phrase is generic only when all of its words are ("remain strong"), not "strong demand".
  return lead.length > 0 && lead.every((word) => genericLabelWords.has(word.toLowerCase()))
}

/** The share of labels that are generic; 0 for none. */
export function genericLabelShare(labels: readonly string[]): number {
  return labels.length === 0 ? 0 : labels.filter(isGenericLabel).length / labels.length
}
