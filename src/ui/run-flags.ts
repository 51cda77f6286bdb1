import {UserError} from '../base/errors.js'
import {parseQuarters} from '../base/quarter.js'
import {executorRegistry} from '../core/executor-registry.js'

/** Flags a resumed run cannot use: it keeps the source, quarters, partitions, executor and settings it started with. */
const ignoredOnResume = ['source', 'encoding', 'quarters', 'executor', 'partitions', 'checkpoint-interval', 'set', 'dry-run']

/** Refuses `ftm run --resume` with flags it would otherwise ignore, saying what to do instead. */
export function refuseFlagsIgnoredOnResume(flags: RunFlags & {resume?: string}): void {
  const names = [...ignoredOnResume, ...executorRegistry.runFlags.map((flag) => flag.name)]
  const given = names.filter((name) => flags[name] !== undefined && flags[name] !== false)
  if (given.length === 0) return
  throw new UserError(
    `--resume continues run ${flags.resume} with the settings it started with, so it would ignore ${given.map((name) => `--${name}`).join(', ')}.`,
    `Resume with only --root, --config, --profile, --parallel or --detach; or start a new run with those flags (without --resume).`,
  )
}

/** The flags of `ftm run` that make its configuration. */
export type RunFlags = {source?: string; encoding?: string; root?: string; quarters?: string; executor?: string; parallel?: string; partitions?: string; 'checkpoint-interval'?: string; [executorFlag: string]: unknown}

/** Maps flags onto configuration keys, remembering which flag set each key for error messages. */
export function runFlagsAsConfig(flags: RunFlags): {values: Record<string, unknown>; names: Record<string, string>} {
  const values = pick({
    source: flags.source,
    sourceEncoding: flags.encoding,
    root: flags.root,
    quarters: flags.quarters === undefined ? undefined : parseQuarters(flags.quarters),
    executor: flags.executor,
    parallel: toNumber(flags.parallel),
    partitions: toNumber(flags.partitions),
  })
  if (flags['checkpoint-interval'] !== undefined) values.worker = {checkpointInterval: toNumber(flags['checkpoint-interval'])}
  const names: Record<string, string> = {
    source: '--source',
    sourceEncoding: '--encoding',
    root: '--root',
    quarters: '--quarters',
    executor: '--executor',
    parallel: '--parallel',
    partitions: '--partitions',
    'worker.checkpointInterval': '--checkpoint-interval',
  }
  for (const flag of executorRegistry.runFlags) {
    const value = flags[flag.name]
    if (typeof value === 'string') setKey(values, flag.configKey.split('.'), value)
    names[flag.configKey] = `--${flag.name}`
  }
  return {values, names}
}

/** Sets a dotted key's value inside nested objects, making the objects it needs. */
function setKey(values: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path
  if (head === undefined) return
  if (rest.length === 0) {
    values[head] = value
    return
  }
  const child = (values[head] ??= {}) as Record<string, unknown>
  setKey(child, rest, value)
}

/** A number when the text is one, else the text itself, so validation names the bad value. */
function toNumber(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text
}

function pick(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))
}
