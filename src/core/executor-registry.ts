import {UserError} from './errors.js'
import type {Executor, ExecutorContext} from './executor.js'

type ExecutorFactory = (context: ExecutorContext) => Promise<Executor>

/** Executors by name, loaded lazily so that one executor never loads another's SDK. */
const factories: Record<string, ExecutorFactory> = {
  process: async (context) => new (await import('../../executors/process/process-executor.js')).ProcessExecutor(context),
  local: async (context) => new (await import('../../executors/local/local-executor.js')).LocalExecutor(context),
  ec2: async (context) => new (await import('../../executors/ec2/ec2-executor.js')).Ec2Executor(context),
  batch: async (context) => new (await import('../../executors/batch/batch-executor.js')).BatchExecutor(context),
}

/** The names users can pass to --executor. */
export const executorNames: readonly string[] = Object.keys(factories)

/** Creates the executor a name selects. */
export async function createExecutor(name: string, context: ExecutorContext): Promise<Executor> {
  const factory = factories[name]
  if (!factory) {
    throw new UserError(`There is no executor "${name}".`, `Use one of: ${executorNames.join(', ')} (e.g. --executor process).`)
  }
  return factory(context)
}
