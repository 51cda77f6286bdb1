import type {z} from 'zod'
import type {ExecutorEstimateConfig} from './config/estimate-schema.js'
import type {Executor, ExecutorCapabilities, ExecutorContext} from './executor.js'

/** A `ftm run` flag an executor adds: a string flag that sets one configuration key. */
export interface ExecutorRunFlag {
  name: string
  /** Dotted configuration key the flag sets, e.g. `docker.gpus`. */
  configKey: string
  description: string
}

/**
 * What one folder under executors/ tells the registry: its name, what it can do, how to create it (lazily, so its
 * SDK loads only when it runs), its configuration sections with their defaults, its `ftm plan` costs and its flags.
 */
export interface ExecutorPlugin<Name extends string = string, Sections extends Record<string, z.ZodType> = Record<string, z.ZodType>> {
  name: Name
  capabilities: ExecutorCapabilities
  create(context: ExecutorContext): Promise<Executor>
  /** Configuration sections by name (several executors may share one, e.g. `docker`). */
  settings: Sections
  settingsDefaults: {[Section in keyof Sections]: z.output<Sections[Section]>}
  /** Price, start-up and overhead `ftm plan` costs this executor with (the `estimate.<name>` section's defaults). */
  estimate: ExecutorEstimateConfig
  runFlags: readonly ExecutorRunFlag[]
}

/** Declares an executor plug-in, keeping its name and sections as literal types for the assembled configuration. */
export function defineExecutorPlugin<const Name extends string, Sections extends Record<string, z.ZodType>>(plugin: ExecutorPlugin<Name, Sections>): ExecutorPlugin<Name, Sections> {
  return plugin
}
