import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'
import {UserError} from '../../base/errors.js'
import {configLeaves, findLeaf, parseLeafValue} from './leaves.js'
import {unknownEnvironmentWarnings} from './environment-warnings.js'
import {applyProfile, requestedProfile} from './profiles.js'
import {checkSettingUris} from './setting-uris.js'
import {type Config, configSchema, defaultConfig} from './schema.js'

/** The file name looked for upward from the working directory. */
export const configFileName = 'ftm.config.json'

type Tree = Record<string, unknown>

/** Where a value came from: shown in errors and by `ftm config show`. */
export type ConfigOrigin = string

/** One layer of configuration: values and the name of where they came from, per key. */
export interface ConfigLayer {
  values: Tree
  originOf: (key: string) => ConfigOrigin
}

export interface LoadConfigOptions {
  cwd?: string
  /** An explicit config file (`--config`); otherwise ftm.config.json is looked for upward. */
  configFile?: string
  environment?: NodeJS.ProcessEnv
  /** Values from flags, already shaped like the configuration, with the flag that set each key. */
  flags?: {values: Tree; names: Record<string, string>}
  /** `--set key=value` pairs. */
  assignments?: string[]
  /** A profile of the config file (`--profile`); otherwise FTM_PROFILE. */
  profile?: string
}

export interface ResolvedConfig {
  config: Config
  /** Where each set key came from, e.g. `pipeline.umap.nNeighbors` → `flag --set`. */
  origins: Record<string, ConfigOrigin>
  configFile?: string
  /** The profile applied, if any. */
  profile?: string
  /** What the user should hear about but that does not stop ftm (an FTM_* variable ftm does not read). */
  warnings: string[]
}

/** Resolves the configuration: defaults < ftm.config.json < environment < flags; validates it and names any bad value. */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const cwd = options.cwd ?? process.cwd()
  const layers: ConfigLayer[] = [{values: defaultConfig as unknown as Tree, originOf: () => 'default'}]
  const configFile = options.configFile ? path.resolve(cwd, options.configFile) : findConfigFile(cwd)
  const profile = requestedProfile(options.profile, options.environment ?? process.env)
  layers.push(...applyProfile(configFile ? readConfigFile(configFile, Boolean(options.configFile)) : undefined, configFile, profile))
  layers.push(environmentLayer(options.environment ?? process.env))
  if (options.flags) {
    const names = options.flags.names
    layers.push({values: options.flags.values, originOf: (key) => `flag ${names[key] ?? '--' + key}`})
  }
  if (options.assignments?.length) layers.push(assignmentLayer(options.assignments))

  const origins: Record<string, ConfigOrigin> = {}
  let merged: Tree = {}
  for (const layer of layers) merged = mergeLayer(merged, layer, origins, [])

  const parsed = configSchema.safeParse(merged)
  if (!parsed.success) throw configError(parsed.error, merged, origins)
  const config = parsed.data
  checkSettingUris(config, (key) => origins[key] ?? 'default')
  config.root = resolvePath(config.root, origins.root, configFile, cwd)
  if (config.source) config.source = resolvePath(config.source, origins.source, configFile, cwd)
  const warnings = unknownEnvironmentWarnings(options.environment ?? process.env, [config.llm.apiKeyVariable, config.pipeline.embedding.apiKeyVariable])
  return {config, origins, configFile, profile: profile?.name, warnings}
}

function findConfigFile(start: string): string | undefined {
  for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, configFileName)
    if (existsSync(candidate)) return candidate
    if (path.dirname(directory) === directory) return undefined
  }
}

function readConfigFile(file: string, explicit: boolean): ConfigLayer {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new UserError(
      `The config file ${file} cannot be read.`,
      explicit ? 'Check the path given to --config.' : `Fix or remove ${file}.`,
    )
  }
  let values: unknown
  try {
    values = JSON.parse(text)
  } catch (error) {
    throw new UserError(`The config file ${file} is not valid JSON: ${(error as Error).message}`, 'Fix the JSON syntax.')
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new UserError(`The config file ${file} must hold a JSON object.`, 'Write it as {"parallel": 2, ...}.')
  }
  return {values: values as Tree, originOf: () => `config file ${file}`}
}

function environmentLayer(environment: NodeJS.ProcessEnv): ConfigLayer {
  const values: Tree = {}
  const names: Record<string, string> = {}
  for (const leaf of configLeaves) {
    const text = environment[leaf.environmentVariable]
    if (text === undefined || text === '') continue
    setPath(values, leaf.path, parseLeafValue(leaf, text))
    names[leaf.key] = leaf.environmentVariable
  }
  return {values, originOf: (key) => `environment variable ${names[key] ?? ''}`}
}

function assignmentLayer(assignments: string[]): ConfigLayer {
  const values: Tree = {}
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    const key = equals === -1 ? assignment : assignment.slice(0, equals)
    const leaf = findLeaf(key.trim())
    if (equals === -1 || !leaf) {
      throw new UserError(
        equals === -1 ? `--set ${assignment} has no value.` : `--set ${assignment}: there is no configuration key "${key}".`,
        `Write --set key=value with one of: ${suggestKeys(key)}.`,
      )
    }
    setPath(values, leaf.path, parseLeafValue(leaf, assignment.slice(equals + 1)))
  }
  return {values, originOf: (key) => `flag --set ${key}`}
}

function mergeLayer(target: Tree, layer: ConfigLayer, origins: Record<string, ConfigOrigin>, path: string[]): Tree {
  const result: Tree = {...target}
  for (const [name, value] of Object.entries(layer.values)) {
    const keyPath = [...path, name]
    const key = keyPath.join('.')
    if (isTree(value) && isTree(result[name])) {
      result[name] = mergeLayer(result[name] as Tree, {values: value, originOf: layer.originOf}, origins, keyPath)
    } else {
      result[name] = value
      origins[key] = layer.originOf(key)
    }
  }
  return result
}

function configError(error: z.ZodError, merged: Tree, origins: Record<string, ConfigOrigin>): UserError {
  const issue = error.issues[0]!
  const issuePath = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    const key = [...issuePath, issue.keys[0]!].join('.')
    const origin = originFor(key, origins)
    return new UserError(
      `Unknown configuration key "${key}" (from ${origin}).`,
      `Remove it or use one of: ${suggestKeys(key)}.`,
    )
  }
  const key = issuePath.join('.')
  const value = issuePath.reduce<unknown>((node, part) => (isTree(node) || Array.isArray(node) ? (node as Tree)[part] : undefined), merged)
  const leaf = findLeaf(key) ?? findLeaf(issuePath.slice(0, -1).join('.'))
  const allowed = leaf?.choices ? `one of ${leaf.choices.join(', ')}` : issue.message.replace(/^Invalid input: expected (\w+), received \w+$/, 'a $1')
  // zod's own rendering of every issue, so a file with several bad values is fixed in one go, not one per run.
  const others = error.issues.length > 1 ? `\nEvery problem (${error.issues.length}):\n${z.prettifyError(error)}` : ''
  return new UserError(
    `Invalid value for ${leaf?.key ?? key}: ${JSON.stringify(value)} (from ${originFor(key, origins)}).`,
    `Allowed: ${allowed}${leaf?.description ? ` (${leaf.description})` : ''}. Fix the value where it was set.${others}`,
  )
}

function originFor(key: string, origins: Record<string, ConfigOrigin>): ConfigOrigin {
  for (let parts = key.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const origin = origins[parts.join('.')]
    if (origin) return origin
  }
  return 'configuration'
}

function suggestKeys(key: string): string {
  const last = key.split('.').pop()!.toLowerCase()
  const close = configLeaves.filter((leaf) => leaf.key.toLowerCase().includes(last.slice(0, 4)))
  return (close.length > 0 ? close : configLeaves).map((leaf) => leaf.key).slice(0, 12).join(', ')
}

function resolvePath(value: string, origin: ConfigOrigin | undefined, configFile: string | undefined, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value
  const base = origin?.startsWith('config file') && configFile ? path.dirname(configFile) : cwd
  return path.resolve(base, value)
}

function setPath(tree: Tree, keyPath: readonly string[], value: unknown): void {
  let node = tree
  for (const part of keyPath.slice(0, -1)) {
    if (!isTree(node[part])) node[part] = {}
    node = node[part] as Tree
  }
  node[keyPath.at(-1)!] = value
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
