import {UserError} from '../../base/errors.js'
import type {ConfigLayer} from './load-config.js'

type Tree = Record<string, unknown>

/** The environment variable that selects a profile when --profile is not given. */
export const profileVariable = 'FTM_PROFILE'

/** A profile asked for, and who asked (`flag --profile` or the environment variable). */
export interface ProfileRequest {
  name: string
  origin: string
}

/**
 * Profiles that ship with ftm, usable without a config file; a profile of the same name in ftm.config.json wins.
 * `fine-topics`: the team's earlier fixed HDBSCAN sizes (leaf, 6/2, no scaling), no topic merging, smoothing or
 * outlier reassignment, for whoever wants many small topics and the outliers kept apart.
 * `spectral-topics`: spectral clustering of hybrid (word vectors + TF-IDF/SVD) embeddings, the topic count from the
 * eigengap, no smoothing: better than the defaults on the quality corpus and both generated shapes (BENCHMARKS.md,
 * issue 17), every sentence in a topic.
 */
export const builtInProfiles: Readonly<Record<string, Tree>> = {
  'fine-topics': {
    pipeline: {
      hdbscan: {minClusterSize: 6, minSamples: 2, minClusterShare: 0, minSamplesShare: 0, selection: 'leaf'},
      outliers: {strategy: 'none'},
      mergeThreshold: 1.01,
      smoothWindow: 0,
    },
  },
  'spectral-topics': {
    pipeline: {
      clustering: 'spectral',
      embedding: {backend: 'hybrid'},
      smoothWindow: 0,
    },
  },
}

/** The profile asked for by the flag, else by FTM_PROFILE; undefined when neither names one. */
export function requestedProfile(flag: string | undefined, environment: NodeJS.ProcessEnv): ProfileRequest | undefined {
  if (flag?.trim()) return {name: flag.trim(), origin: 'flag --profile'}
  const fromEnvironment = environment[profileVariable]?.trim()
  return fromEnvironment ? {name: fromEnvironment, origin: `environment variable ${profileVariable}`} : undefined
}

/**
 * Splits a config file's layer into its base values and the chosen profile's values (`profiles.<name>`), which
 * override the base; origins say `config file <file> (profile <name>)` so paths in a profile resolve from the file.
 */
export function applyProfile(fileLayer: ConfigLayer | undefined, file: string | undefined, request: ProfileRequest | undefined): ConfigLayer[] {
  const builtIn = request ? builtInProfiles[request.name] : undefined
  const builtInLayer = (): ConfigLayer => ({values: builtIn!, originOf: () => `built-in profile ${request!.name}`})
  if (!fileLayer) {
    if (builtIn) return [builtInLayer()]
    if (request) {
      throw new UserError(
        `The profile "${request.name}" (from ${request.origin}) cannot be used: there is no ftm.config.json and no built-in profile of that name.`,
        `Use a built-in profile (${Object.keys(builtInProfiles).join(', ')}), create ftm.config.json with {"profiles": {"<name>": {...}}}, pass --config, or drop --profile / FTM_PROFILE.`,
      )
    }
    return []
  }
  const {profiles, ...base} = fileLayer.values
  if (profiles !== undefined && !isProfileTable(profiles)) {
    throw new UserError(`"profiles" in ${file} must map names to objects.`, 'Write it as {"profiles": {"batch": {"executor": "batch", "parallel": 5}}}.')
  }
  const layers: ConfigLayer[] = [{values: base, originOf: fileLayer.originOf}]
  if (!request) return layers
  const chosen = profiles?.[request.name]
  if (!chosen && builtIn) return [...layers, builtInLayer()]
  if (!chosen) {
    const names = [...Object.keys(profiles ?? {}), ...Object.keys(builtInProfiles)]
    throw new UserError(
      `There is no profile "${request.name}" (from ${request.origin}) in ${file}.`,
      names.length > 0 ? `Use one of: ${names.join(', ')}.` : `Add it under "profiles" in ${file}.`,
    )
  }
  layers.push({values: chosen, originOf: () => `config file ${file} (profile ${request.name})`})
  return layers
}

function isProfileTable(value: unknown): value is Record<string, Tree> {
  const isTree = (candidate: unknown): candidate is Tree => typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate)
  return isTree(value) && Object.values(value).every(isTree)
}
