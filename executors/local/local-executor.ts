import type {ExecutorContext} from '../../src/core/executor.js'
import {ContainerExecutor} from '../docker/container-executor.js'
import {localExecutorPlugin} from './index.js'

/**
 * Runs each partition in a Docker container on this machine's engine: the worker contract in the environment,
 * the local output folder mounted at the same path, `--gpus` as a device request (one GPU per container with
 * --parallel), containers labelled with the run id and removed when they end.
 */
export class LocalExecutor extends ContainerExecutor {
  constructor(context: ExecutorContext) {
    super(context, {
      name: 'local',
      capabilities: localExecutorPlugin.capabilities,
      checkRun: () => undefined,
      mountsLocalPaths: () => true,
      buildHint: (settings) => `Build it here with \`ftm image build --tag ${settings.image}\`, or pass --image with an image this engine has.`,
    })
  }
}
