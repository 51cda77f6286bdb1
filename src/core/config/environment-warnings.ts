import {configLeaves} from './leaves.js'

/** FTM_* variables that are not configuration keys but that ftm reads (worker contract, S3, registry, profile). */
const otherVariables = [
  'FTM_PROFILE', 'FTM_RUN', 'FTM_QUARTER', 'FTM_PARTITION', 'FTM_TASK', 'FTM_CACHE_DIR', 'FTM_LLM_API_KEY',
  'FTM_S3_ENDPOINT', 'FTM_S3_FORCE_PATH_STYLE', 'FTM_S3_MAX_ATTEMPTS', 'FTM_REGISTRY_USERNAME', 'FTM_REGISTRY_PASSWORD',
]

/**
 * A warning for each FTM_* variable ftm does not read (a typo such as FTM_PARALEL would be silently ignored), naming
 * the closest variable it does read. `alsoKnown` adds names the configuration points at (llm.apiKeyVariable).
 */
export function unknownEnvironmentWarnings(environment: NodeJS.ProcessEnv, alsoKnown: readonly string[] = []): string[] {
  const known = [...configLeaves.map((leaf) => leaf.environmentVariable), ...otherVariables, ...alsoKnown]
  const knownSet = new Set(known)
  return Object.keys(environment)
    .filter((name) => name.startsWith('FTM_') && !name.startsWith('FTM_TEST_') && !knownSet.has(name))
    .sort()
    .map((name) => {
      const closest = closestName(name, known)
      return `the environment variable ${name} is not one ftm reads and is ignored${closest ? `; did you mean ${closest}?` : ''}`
    })
}

/** The known name nearest to `name` by edit distance, if it is near enough to be a likely typo. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: {name: string; distance: number} | undefined
  for (const candidate of known) {
    const distance = editDistance(name, candidate)
    if (!best || distance < best.distance) best = {name: candidate, distance}
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(first: string, second: string): number {
  let previous = Array.from({length: second.length + 1}, (_, index) => index)
  for (let row = 1; row <= first.length; row++) {
    const current = [row]
    for (let column = 1; column <= second.length; column++) {
      const cost = first[row - 1] === second[column - 1] ? 0 : 1
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, previous[column - 1]! + cost))
    }
    previous = current
  }
  return previous[second.length]!
}
