import {configLeaves} from './leaves.js'
import type {ResolvedConfig} from './load-config.js'

/** What `ftm config show` prints for one key. */
export interface ConfigEntry {
  key: string
  value: unknown
  origin: string
  environmentVariable: string
  secret: boolean
}

/** The resolved configuration as `ftm config show` reports it. */
export interface ConfigReport {
  configFile?: string
  profile?: string
  entries: ConfigEntry[]
  /** FTM_ and well-known secret variables set in the environment that are not configuration keys. */
  environment: {name: string; value: string; secret: boolean}[]
}

/** Shown instead of a secret value. */
export const maskedValue = '****'

const secretWords = ['key', 'secret', 'password', 'passwd', 'token', 'credentials']

/**
 * True when a key or variable name looks like it holds a secret: a word of it (camelCase, snake_case, dotted) is,
 * or ends in, key, secret, password, token or credentials (so apiKey and PGPASSWORD are, keywords is not).
 */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
  return words.some((word) => secretWords.some((secret) => word === secret || word === `${secret}s` || word.endsWith(secret)))
}

/** Every key with its value (masked when secret) and where it came from, and the relevant environment. */
export function describeConfig(resolved: ResolvedConfig, environment: NodeJS.ProcessEnv): ConfigReport {
  const entries = configLeaves.map((leaf) => {
    const value = leaf.path.reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), resolved.config)
    const secret = isSecretName(leaf.key) || isSecretName(leaf.environmentVariable)
    return {
      key: leaf.key,
      value: secret && value !== undefined && value !== '' ? maskedValue : maskUrlPassword(value),
      origin: originOf(leaf.key, resolved.origins),
      environmentVariable: leaf.environmentVariable,
      secret,
    }
  })
  const leafVariables = new Set(configLeaves.map((leaf) => leaf.environmentVariable))
  const shown = Object.entries(environment)
    .filter(([name, value]) => value !== undefined && !leafVariables.has(name) && (name.startsWith('FTM_') || (isSecretName(name) && /^(AWS|WRDS|PG|OPENAI|HF)_?/.test(name))))
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, value]) => ({name, value: isSecretName(name) ? maskedValue : String(maskUrlPassword(value)), secret: isSecretName(name)}))
  return {configFile: resolved.configFile, profile: resolved.profile, entries, environment: shown}
}

function originOf(key: string, origins: Record<string, string>): string {
  for (let parts = key.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const origin = origins[parts.join('.')]
    if (origin) return origin
  }
  return 'default'
}

/** Hides the password of a URL with credentials (`https://user:pass@host`); other values pass unchanged. */
export function maskUrlPassword(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]*@/i, `$1${maskedValue}@`) : value
}
