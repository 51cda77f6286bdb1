import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {UserError} from '../../../src/base/errors.js'

/** Stack output → the configuration key it sets (the output names FtmBatchStack declares). */
export const outputKeys = {
  JobQueue: 'batch.jobQueue',
  JobDefinition: 'batch.jobDefinition',
  LogGroup: 'batch.logGroup',
  Region: 'batch.region',
  Image: 'batch.image',
  JobRole: 'batch.jobRole',
  ExecutionRole: 'batch.executionRole',
  Root: 'root',
} as const

type Tree = Record<string, unknown>

const isTree = (value: unknown): value is Tree => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The stack's outputs from any of: `aws cloudformation describe-stacks` ({Stacks: [{Outputs: [...]}]}), its
 * `--query 'Stacks[0].Outputs'` ([{OutputKey, OutputValue}]), or `cdk deploy --outputs-file` ({<stack>: {Key: value}}).
 */
export function parseStackOutputs(text: string, source: string): Record<string, string> {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new UserError(`${source} is not JSON.`, "Write it with `aws cloudformation describe-stacks --stack-name ftm-batch --output json > outputs.json`.", {cause: error})
  }
  const list = isTree(document) && Array.isArray(document.Stacks) ? (document.Stacks[0] as Tree | undefined)?.Outputs : document
  let outputs: Record<string, string> = {}
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (isTree(entry) && typeof entry.OutputKey === 'string' && typeof entry.OutputValue === 'string') outputs[entry.OutputKey] = entry.OutputValue
    }
  } else if (isTree(document)) {
    const stacks = Object.values(document).filter(isTree)
    if (stacks.length === 1) outputs = Object.fromEntries(Object.entries(stacks[0] as Tree).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  }
  const missing = Object.keys(outputKeys).filter((key) => !outputs[key])
  if (missing.length > 0) {
    throw new UserError(
      `${source} lacks the stack outputs ${missing.join(', ')}.`,
      'Pass the output of `aws cloudformation describe-stacks --stack-name <infra.stackName>` (or `cdk deploy --outputs-file`) for the ftm Batch stack, once it is deployed.',
    )
  }
  return outputs
}

/** The configuration values the outputs set, as `key → value` (dotted keys). */
export function configValuesOf(outputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(outputKeys).map(([output, key]) => [key, outputs[output] as string]))
}

/**
 * Writes dotted `key → value` pairs into a config file (created when missing), at the top level or under
 * `profiles.<profile>`; every other value of the file is kept.
 */
export function writeConfigValues(file: string, values: Record<string, string>, profile?: string): void {
  let document: Tree = {}
  if (existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
      if (!isTree(parsed)) throw new Error('not an object')
      document = parsed
    } catch (error) {
      throw new UserError(`${file} is not a JSON object, so the stack outputs cannot be added to it.`, 'Fix the file (or pass --config another.json) and run the command again.', {cause: error})
    }
  }
  const target = profile ? branch(branch(document, 'profiles'), profile) : document
  for (const [key, value] of Object.entries(values)) {
    const path = key.split('.')
    const last = path.pop() as string
    let node = target
    for (const part of path) node = branch(node, part)
    node[last] = value
  }
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`)
}

/** The object under `key`, created when missing. */
function branch(node: Tree, key: string): Tree {
  const existing = node[key]
  if (isTree(existing)) return existing
  if (existing !== undefined) throw new UserError(`"${key}" in the config file is not an object.`, `Make "${key}" an object or remove it, then run the command again.`)
  const created: Tree = {}
  node[key] = created
  return created
}
