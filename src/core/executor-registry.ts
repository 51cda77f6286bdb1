import type {z} from 'zod'
import {batchExecutorPlugin} from '../../executors/batch/index.js'
import {ec2ExecutorPlugin} from '../../executors/ec2/index.js'
import {localExecutorPlugin} from '../../executors/local/index.js'
import {processExecutorPlugin} from '../../executors/process/index.js'
import type {ExecutorEstimateConfig} from './config/estimate-schema.js'
import {UserError} from '../base/errors.js'
import type {Executor, ExecutorContext} from './executor.js'
import type {ExecutorPlugin, ExecutorRunFlag} from './executor-plugin.js'

type AnyPlugin = ExecutorPlugin<string, Record<string, z.ZodType>>
type UnionToIntersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer Both) => void ? Both : never
type Flatten<Shape> = {[Key in keyof Shape]: Shape[Key]}

/** The configuration sections of some plug-ins, merged (a section two executors share appears once). */
export type SettingsSchemasOf<Plugins extends readonly AnyPlugin[]> = Flatten<UnionToIntersection<Plugins[number]['settings']>>

/** What the rest of ftm knows about executors, assembled from their plug-ins. */
export interface ExecutorRegistry<Plugins extends readonly AnyPlugin[]> {
  /** The names users can pass to --executor, in registry order. */
  names: Plugins[number]['name'][]
  plugin(name: string): AnyPlugin | undefined
  /** Creates the executor a name selects; an unknown name is a UserError listing the known ones. */
  create(name: string, context: ExecutorContext): Promise<Executor>
  settingsSchemas: SettingsSchemasOf<Plugins>
  settingsDefaults: {[Section in keyof SettingsSchemasOf<Plugins>]: z.output<SettingsSchemasOf<Plugins>[Section]>}
  estimateDefaults: Record<Plugins[number]['name'], ExecutorEstimateConfig>
  /** Every executor's `ftm run` flags, each once. */
  runFlags: ExecutorRunFlag[]
}

/** Assembles names, configuration sections, estimate defaults and run flags from executor plug-ins. */
export function assembleExecutorRegistry<const Plugins extends readonly AnyPlugin[]>(plugins: Plugins): ExecutorRegistry<Plugins> {
  const byName = new Map<string, AnyPlugin>()
  const schemas: Record<string, z.ZodType> = {}
  const defaults: Record<string, unknown> = {}
  const flags = new Map<string, ExecutorRunFlag>()
  for (const plugin of plugins) {
    if (byName.has(plugin.name)) throw new Error(`Two executor plug-ins are named ${plugin.name}.`)
    byName.set(plugin.name, plugin)
    for (const [section, schema] of Object.entries(plugin.settings)) {
      if (schemas[section] && schemas[section] !== schema) throw new Error(`Executors declare two different "${section}" configuration sections.`)
      schemas[section] = schema
      defaults[section] = plugin.settingsDefaults[section]
    }
    for (const flag of plugin.runFlags) {
      const known = flags.get(flag.name)
      if (known && known.configKey !== flag.configKey) throw new Error(`Executors declare --${flag.name} for ${known.configKey} and ${flag.configKey}.`)
      flags.set(flag.name, known ?? flag)
    }
  }
  const names = [...byName.keys()]
  return {
    names,
    plugin: (name) => byName.get(name),
    async create(name, context) {
      const plugin = byName.get(name)
      if (!plugin) throw new UserError(`There is no executor "${name}".`, `Use one of: ${names.join(', ')} (e.g. --executor process).`)
      return plugin.create(context)
    },
    settingsSchemas: schemas as SettingsSchemasOf<Plugins>,
    settingsDefaults: defaults as ExecutorRegistry<Plugins>['settingsDefaults'],
    estimateDefaults: Object.fromEntries(plugins.map((plugin) => [plugin.name, plugin.estimate])) as Record<Plugins[number]['name'], ExecutorEstimateConfig>,
    runFlags: [...flags.values()],
  }
}

/** Every executor ftm has: adding one is a folder under executors/ with an index.ts, and a line here. */
export const executorRegistry = assembleExecutorRegistry([processExecutorPlugin, localExecutorPlugin, ec2ExecutorPlugin, batchExecutorPlugin])

/** An executor's name, as --executor takes it. */
export type ExecutorName = (typeof executorRegistry.names)[number]

/** The names users can pass to --executor. */
export const executorNames: readonly ExecutorName[] = executorRegistry.names

/** Creates the executor a name selects. */
export function createExecutor(name: string, context: ExecutorContext): Promise<Executor> {
  return executorRegistry.create(name, context)
}
