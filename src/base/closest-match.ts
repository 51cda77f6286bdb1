/** The number of single-character edits (insert, delete, substitute) that turn one text into another. */
export function editDistance(from: string, to: string): number {
  let previous = Array.from({length: to.length + 1}, (_, index) => index)
  for (let row = 1; row <= from.length; row++) {
    const current = [row]
    for (let column = 1; column <= to.length; column++) {
      const substitution = previous[column - 1]! + (from[row - 1] === to[column - 1] ? 0 : 1)
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[to.length]!
}

/** The candidate nearest to a value (case-insensitive; ties go to the first), or undefined when there are none. */
export function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  let best: {candidate: string; distance: number} | undefined
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase())
    if (!best || distance < best.distance) best = {candidate, distance}
  }
  return best?.candidate
}

/** "Did you mean X?" plus, for short lists, every valid value: the hint of an error about an unknown value. */
export function suggestValue(value: string, candidates: readonly string[], what: string): string {
  const closest = closestMatch(value, candidates)
  if (closest === undefined) return `There are no ${what}s to choose from.`
  const known = candidates.length <= 12 ? ` Known ${what}s: ${candidates.join(', ')}.` : ` (${candidates.length} ${what}s in all.)`
  return `Did you mean ${closest}?${known}`
}
