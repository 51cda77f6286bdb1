import {z} from 'zod'
import {configSchema} from './schema.js'

/** One settable value of the configuration: its path, its type and the environment variable that sets it. */
export interface ConfigLeaf {
  path: string[]
  key: string
  kind: 'number' | 'boolean' | 'string' | 'list' | 'choice'
  choices?: string[]
  environmentVariable: string
  description?: string
}

/** Every settable value of the configuration, derived from the schema so nothing is listed twice. */
export const configLeaves: readonly ConfigLeaf[] = collectLeaves(configSchema, [])

/** The leaf at a dotted key such as `pipeline.umap.nNeighbors`. */
export function findLeaf(key: string): ConfigLeaf | undefined {
  return configLeaves.find((leaf) => leaf.key === key)
}

/** `FTM_PIPELINE__UMAP__N_NEIGHBORS` for pipeline.umap.nNeighbors. */
export function environmentVariableOf(path: readonly string[]): string {
  return `FTM_${path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__')}`
}

/** Converts text (from the environment or `--set`) to the leaf's type; leaves it as text when it does not convert, so validation names it. */
export function parseLeafValue(leaf: ConfigLeaf, text: string): unknown {
  const trimmed = text.trim()
  if (leaf.kind === 'number') return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text
  if (leaf.kind === 'boolean') {
    if (/^(true|1|yes)$/i.test(trimmed)) return true
    if (/^(false|0|no)$/i.test(trimmed)) return false
    return text
  }
  if (leaf.kind === 'list') return trimmed.split(',').map((item) => item.trim()).filter(Boolean)
  return text
}

function collectLeaves(schema: z.ZodType, path: string[]): ConfigLeaf[] {
  let inner: z.ZodType = schema
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([name, child]) => collectLeaves(child, [...path, name]))
  }
  const leaf: ConfigLeaf = {
    path,
    key: path.join('.'),
    kind: 'string',
    environmentVariable: environmentVariableOf(path),
    description: schema.description ?? inner.description,
  }
  if (inner instanceof z.ZodNumber) leaf.kind = 'number'
  else if (inner instanceof z.ZodBoolean) leaf.kind = 'boolean'
  else if (inner instanceof z.ZodArray) leaf.kind = 'list'
  else if (inner instanceof z.ZodEnum) {
    leaf.kind = 'choice'
    leaf.choices = inner.options.map(String)
  }
  return [leaf]
}
