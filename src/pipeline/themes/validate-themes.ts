/** Why a candidate theme was dropped, or undefined when it is kept. */
export type ThemeRejection = 'too_few_firms' | 'one_firm_dominates'

/**
 * Judges a candidate theme by its members' firms: it must span at least `minFirms` firms, and no firm may hold more
 * than `maxFirmShare` of its topics.
 */
export function judgeTheme(memberFirms: readonly string[], rules: {minFirms: number; maxFirmShare: number}): ThemeRejection | undefined {
  const counts = new Map<string, number>()
  for (const firm of memberFirms) counts.set(firm, (counts.get(firm) ?? 0) + 1)
  if (counts.size < rules.minFirms) return 'too_few_firms'
  const largest = Math.max(...counts.values())
  if (largest / memberFirms.length > rules.maxFirmShare) return 'one_firm_dominates'
  return undefined
}
